import { afterEach, describe, expect, it } from 'vitest';
import { priceOf } from '../../../src/plugins/adapter-woocommerce';
import { cart } from '../../../src/plugins/cart';
import { createFake, type Fake } from './fake-context';

const amount = (t: string) => {
  const d = document.createElement('div');
  d.innerHTML = t;
  return d;
};

describe('priceOf: WooCommerce price markup to a number', () => {
  it('reads the last amount with either decimal separator, thousands separators and symbols around', () => {
    expect(priceOf(amount('<span class="amount"><bdi><span>&pound;</span>1,234.50</bdi></span>'))).toBe(1234.5);
    expect(priceOf(amount('<span class="amount">1.234,50&nbsp;€</span>'))).toBe(1234.5);
    expect(priceOf(amount('<del><span class="amount">£50.00</span></del> <ins><span class="amount">£45.00</span></ins>'))).toBe(
      45,
    );
    expect(priceOf(amount('<span class="amount">¥1,234</span>'))).toBe(1234);
    expect(priceOf(amount('<span class="amount">45,00 kr.</span>'))).toBe(45);
    expect(priceOf(amount('no price'))).toBeUndefined();
    expect(priceOf(null)).toBeUndefined();
  });
});

describe('woocommerce adapter: price, currency and classic forms', () => {
  let fake: Fake;
  afterEach(() => {
    fake.destroy();
    document.body.innerHTML = '';
    document.head.innerHTML = '';
    delete (window as any).jQuery;
  });
  const jq = () => {
    const hs: ((...a: unknown[]) => void)[] = [];
    (window as any).jQuery = () => ({ on: (_t: string, h: (...a: unknown[]) => void) => hs.push(h), off: () => {} });
    return (...a: unknown[]) => hs.forEach((h) => h({}, ...a));
  };

  it('takes the unit price from the mini cart WooCommerce sends back, and the currency from structured data', () => {
    const trigger = jq();
    document.head.innerHTML = '<script type="application/ld+json">{"offers":[{"price":"45.00","priceCurrency":"GBP"}]}</script>';
    document.body.innerHTML = `<ul><li class="product"><h2 class="woocommerce-loop-product__title">Hoodie</h2>
      <span class="price"><span class="amount">£50.00</span></span>
      <a class="button add_to_cart_button" data-product_id="42" data-product_sku="HOODIE" data-quantity="1">Add</a></li></ul>`;
    fake = createFake().use(cart({ woocommerce: true }));
    const fragments = {
      'div.widget_shopping_cart_content': `<div class="widget_shopping_cart_content"><ul><li class="mini_cart_item">
        <a class="remove" data-product_id="42" data-product_sku="HOODIE">×</a><a>Hoodie</a>
        <span class="quantity">2 × <span class="amount">£45.00</span></span></li></ul></div>`,
    };
    trigger(fragments, 'hash', [document.querySelector('a.button')]);
    trigger(undefined, 'hash', [document.querySelector('a.button')]);
    expect(fake.of('add_to_cart').map((e) => e.props)).toEqual([
      { currency: 'GBP', value: 45, items: [{ item_id: 'HOODIE', item_name: 'Hoodie', price: 45, quantity: 1 }] },
      // No fragments: the price shown around the button.
      { currency: 'GBP', value: 50, items: [{ item_id: 'HOODIE', item_name: 'Hoodie', price: 50, quantity: 1 }] },
    ]);
  });

  it('reports a classic product form when it is submitted, not when a theme prevented the submit', () => {
    (window as any).wcSettings = { currency: { code: 'EUR' } };
    document.body.innerHTML = `<div class="product"><h1 class="product_title">Beanie</h1><p class="price"><span class="amount">18,00 €</span></p>
      <form class="cart" method="post"><input name="quantity" value="3"><button type="submit" name="add-to-cart" value="77">Add</button></form>
      <div class="product_meta"><span class="sku">BEANIE</span></div></div>`;
    fake = createFake().use(cart({ woocommerce: true }));
    const form = document.querySelector('form')!;
    form.addEventListener('submit', (e) => e.preventDefault(), { once: true });
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    expect(fake.of('add_to_cart')).toEqual([]);
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    expect(fake.of('add_to_cart').map((e) => e.props)).toEqual([
      { currency: 'EUR', value: 54, items: [{ item_id: 'BEANIE', item_name: 'Beanie', price: 18, quantity: 3 }] },
    ]);
    delete (window as any).wcSettings;
  });

  it('counts a form a theme adds by AJAX once, when its delegated handler on the document came after us', () => {
    const trigger = jq();
    document.body.innerHTML = `<div class="product"><h1 class="product_title">Beanie</h1><p class="price"><span class="amount">18,00 €</span></p>
      <form class="cart" method="post"><input name="quantity" value="1"><button type="submit" name="add-to-cart" value="77">Add</button></form></div>`;
    fake = createFake().use(cart({ woocommerce: true }));
    // What $(document).on('submit', 'form.cart', …) of an AJAX add-to-cart theme does, registered after the tracker.
    const theme = (e: Event) => {
      if (!(e.target as Element).matches('form.cart')) return;
      e.preventDefault();
      trigger(undefined, 'hash', [document.querySelector('form.cart button')]);
    };
    document.addEventListener('submit', theme);
    try {
      document.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    } finally {
      document.removeEventListener('submit', theme);
    }
    expect(fake.of('add_to_cart')).toHaveLength(1);
  });
});
