// Issue 18: the plugins on the code real shops run, unchanged (test/fixtures/README.md says what each file is):
// Shopify's Dawn theme, WooCommerce's add-to-cart.js with jQuery and the gtm4wp data-layer plugin, and Google's
// documented GA4 examples, each served on 127.0.0.1 by a stand-in answering in the platform's documented shapes.
// Chromium; every page must run without a page error, and the theme's own UI must still work.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCapture, requireBundle } from './capture.mjs';
import { launchBrowser } from './chromium.mjs';
import { flush, unique, visit } from './shop-server.mjs';
import { createStandin } from './standin-server.mjs';
import { createShopify } from './standin-shopify.mjs';
import { createWoo } from './standin-woocommerce.mjs';
import { createGa4, GA4_EXAMPLES } from './standin-ga4.mjs';

let cap, browser;
beforeAll(async () => {
  requireBundle();
  cap = await createCapture();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await cap?.close();
});

const events = () => unique(cap.events()).sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : 1));
const ofType = (type) => events().filter((e) => e.type === type);
const arrived = (type, n = 1) =>
  cap.waitForEvents((evs) => {
    const got = unique(evs).filter((e) => e.type === type);
    return got.length >= n && got;
  });
/** Track a marker and wait for it: everything the page sent before it has arrived. */
const sentinel = async (page, name) => {
  await page.evaluate((n) => window.journey.track(n), name);
  await flush(page);
  await arrived(name);
};
/** The tracker's cart as its `view_cart` reports it (the cart plugin fills a view_cart without items). */
const trackerCart = async (page) => {
  const before = ofType('view_cart').length;
  await page.evaluate(() => window.journey.track('view_cart'));
  await flush(page);
  const [e] = (await arrived('view_cart', before + 1)).slice(before);
  return e.props;
};

/** A context whose pages record page errors and console errors; `errors` must stay empty. */
const setup = () => {
  const t = { context: undefined, errors: [] };
  beforeEach(async () => {
    cap.reset();
    t.errors = [];
    t.context = await browser.newContext();
  });
  afterEach(async () => {
    await t.context?.close();
    expect(t.errors).toEqual([]);
  });
  /** Open `url` once the tracker has started and every script has run (the add-on tag is async: done by `load`). */
  t.open = async (url) => {
    const page = await t.context.newPage();
    page.on('pageerror', (e) => t.errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && t.errors.push(m.text()));
    await visit(page, url);
    await page.waitForLoadState('load');
    return page;
  };
  return t;
};

describe("Shopify's Dawn theme with the cart adapters add-on", () => {
  const t = setup();
  let shop, server;
  beforeAll(async () => {
    shop = createShopify();
    server = await createStandin({ collect: cap.url('/collect'), platform: shop });
  });
  afterAll(() => server?.close());
  beforeEach(() => shop.reset());

  const TEE = {
    item_id: 'TEE-M',
    item_name: 'Linen tee',
    item_variant: 'M',
    item_brand: 'Nordlys',
    item_category: 'Shirts',
    price: 14.5,
  };
  /** Set Dawn's quantity input and press its Add to cart button; wait for Dawn's own UI to show the add. */
  const addToCart = async (page, quantity, shown) => {
    await page.waitForFunction(() => customElements.get('product-form') && document.querySelector('product-form').form);
    await page.fill('#Quantity-template--main', String(quantity));
    await page.click('#ProductSubmitButton-template--main');
    await page.waitForFunction(shown);
    await page.waitForFunction(
      () => !document.querySelector('#ProductSubmitButton-template--main').classList.contains('loading'),
    );
  };

  it('a variant already in the cart: adds of 2 then 1 report 2 and 1, and the tracker cart holds what Shopify holds (3)', async () => {
    const page = await t.open(server.url('/products/linen-tee'));
    await addToCart(page, 2, () => document.getElementById('cart-notification').classList.contains('active'));
    await flush(page);
    await arrived('add_to_cart');
    // Dawn's notification opened, with the section Shopify rendered for this line.
    expect(await page.textContent('#cart-notification-product')).toContain('Linen tee');
    await page.click('.cart-notification__close');
    await addToCart(page, 1, () => document.getElementById('cart-notification').classList.contains('active'));
    await flush(page);
    await arrived('add_to_cart', 2);
    expect(ofType('add_to_cart').map((e) => e.props)).toEqual([
      { currency: 'EUR', value: 29, items: [{ ...TEE, quantity: 2 }] },
      { currency: 'EUR', value: 14.5, items: [{ ...TEE, quantity: 1 }] },
    ]);
    expect(shop.cart().items.map((l) => [l.sku, l.quantity])).toEqual([['TEE-M', 3]]);
    const c = await trackerCart(page);
    expect(c).toEqual({ currency: 'EUR', value: shop.cart().total_price / 100, items: [{ ...TEE, quantity: 3 }] });
    expect(await page.textContent('#cart-icon-bubble')).toContain('3');
  });

  it('a locale prefix (/fr/cart/add, as Dawn posts it) with the cart drawer: one add, and the drawer opens with the line', async () => {
    const page = await t.open(server.url('/fr/products/linen-tee?cart=drawer'));
    await addToCart(page, 1, () => document.querySelector('cart-drawer').classList.contains('active'));
    expect(await page.textContent('#CartDrawer-CartItems')).toContain('Linen tee M');
    await sentinel(page, 'done');
    expect(ofType('add_to_cart').map((e) => e.props)).toEqual([
      { currency: 'EUR', value: 14.5, items: [{ ...TEE, quantity: 1 }] },
    ]);
    expect(ofType('add_to_cart')[0].url).toBe(server.url('/fr/products/linen-tee?cart=drawer'));
    expect(shop.cart().item_count).toBe(1);
  });
});

describe('WooCommerce add-to-cart.js with jQuery, and gtm4wp', () => {
  const t = setup();
  let woo, server;
  beforeAll(async () => {
    woo = createWoo();
    server = await createStandin({ collect: cap.url('/collect'), platform: woo });
  });
  afterAll(() => server?.close());
  beforeEach(() => woo.reset());

  const ADAPTER_ONLY = 'cart:woocommerce,checkout,referral';
  const BOTH = 'cart:woocommerce,checkout,referral,dataLayer';
  /** Press the archive's AJAX button and wait for WooCommerce's own UI: the button marked added, the mini cart re-rendered. */
  const ajaxAdd = async (page, id) => {
    await page.click(`li.post-${id} .add_to_cart_button`);
    await page.waitForSelector(`li.post-${id} .add_to_cart_button.added`);
    await page.waitForSelector(`li.post-${id} a.added_to_cart.wc-forward`);
  };

  it('an AJAX add carries price (from the returned mini cart), value and currency (wcSettings)', async () => {
    woo.plugins(ADAPTER_ONLY);
    const page = await t.open(server.url('/shop/'));
    await ajaxAdd(page, 42);
    expect(await page.textContent('.widget_shopping_cart_content')).toContain('1 × £45.00');
    await sentinel(page, 'done');
    // The sale price WooCommerce charged (45), not the struck-out 50.
    expect(ofType('add_to_cart').map((e) => e.props)).toEqual([
      { currency: 'GBP', value: 45, items: [{ item_id: 'HOODIE', item_name: 'Hoodie', price: 45, quantity: 1 }] },
    ]);
    expect(woo.lines()).toEqual([['HOODIE', 1]]);
  });

  it('cart:woocommerce and dataLayer (gtm4wp) both on: one click, one add_to_cart, one cart line', async () => {
    woo.plugins(BOTH);
    const page = await t.open(server.url('/shop/'));
    await ajaxAdd(page, 42);
    await ajaxAdd(page, 77);
    await sentinel(page, 'done');
    // gtm4wp reports on the click, the adapter when WooCommerce answers: the first report is kept.
    expect(ofType('add_to_cart').map((e) => e.props)).toEqual([
      {
        currency: 'GBP',
        value: 45,
        items: [
          {
            item_id: '42',
            item_name: 'Hoodie',
            item_category: 'Clothing',
            item_list_name: 'General Product List',
            index: 1,
            item_brand: '',
            price: 45,
            quantity: 1,
          },
        ],
      },
      {
        currency: 'GBP',
        value: 18,
        items: [
          {
            item_id: '77',
            item_name: 'Beanie',
            item_category: 'Accessories',
            item_list_name: 'General Product List',
            index: 2,
            item_brand: '',
            price: 18,
            quantity: 1,
          },
        ],
      },
    ]);
    const c = await trackerCart(page);
    expect(c.items.map((i) => [i.item_id, i.quantity])).toEqual([
      ['42', 1],
      ['77', 1],
    ]);
    expect(c.value).toBe(63);
    expect(woo.lines()).toEqual([
      ['HOODIE', 1],
      ['BEANIE', 1],
    ]);
  });

  it('a classic product form POST is seen, with price and currency from the page; with gtm4wp on too, once', async () => {
    woo.plugins(ADAPTER_ONLY);
    let page = await t.open(server.url('/product/beanie/'));
    await page.fill('input.qty', '2');
    await Promise.all([
      page.waitForURL(server.url('/product/beanie/')),
      page.waitForEvent('load'),
      page.click('.single_add_to_cart_button'),
    ]);
    await page.waitForSelector('.woocommerce-message');
    await arrived('add_to_cart');
    expect(ofType('add_to_cart').map((e) => e.props)).toEqual([
      { currency: 'GBP', value: 36, items: [{ item_id: 'BEANIE', item_name: 'Beanie', price: 18, quantity: 2 }] },
    ]);
    expect(woo.lines()).toEqual([['BEANIE', 2]]);
    // The add left its page by a beacon, whose outcome the tracker cannot know: the event stays stored and this page
    // sends it again (at-least-once). Let that repeat arrive before the capture is cleared, or it counts below.
    await sentinel(page, 'first done');

    cap.reset();
    woo.plugins(BOTH);
    page = await t.open(server.url('/product/beanie/'));
    await Promise.all([page.waitForEvent('load'), page.click('.single_add_to_cart_button')]);
    await page.waitForSelector('.woocommerce-message');
    await page.waitForFunction(() => window.journey && window.journey.jt);
    await sentinel(page, 'done');
    expect(ofType('add_to_cart').map((e) => [e.props.items[0].item_id, e.props.items[0].quantity, e.props.value])).toEqual([
      ['77', 1, 18],
    ]);
    expect(woo.lines()).toEqual([['BEANIE', 3]]);
  });

  it("gtm4wp's view_item, add_to_cart, begin_checkout and purchase are mapped once each, and the purchase keeps GA4 fields only", async () => {
    woo.plugins(BOTH);
    let page = await t.open(server.url('/product/hoodie/'));
    await Promise.all([page.waitForEvent('load'), page.click('.single_add_to_cart_button')]);
    await page.waitForSelector('.woocommerce-message');
    page = await t.open(server.url('/checkout/'));
    page = await t.open(server.url(`/checkout/order-received/${woo.ORDER.number}/?key=${woo.ORDER.key}`));
    await arrived('purchase');
    await page.reload();
    await page.waitForFunction(() => window.journey && window.journey.jt);
    await sentinel(page, 'done');
    const commerce = events().filter((e) => !['page_view', 'page_leave', 'stage_change', 'done', 'view_cart'].includes(e.type));
    // The product page twice (before and after its POST), the add once, the thank-you page reloaded: one purchase.
    expect(commerce.map((e) => e.type)).toEqual(['view_item', 'add_to_cart', 'view_item', 'begin_checkout', 'purchase']);
    const hoodie = { item_id: '42', item_name: 'Hoodie', item_category: 'Clothing', price: 45 };
    const [purchase] = ofType('purchase');
    expect(purchase.props).toMatchObject({
      currency: 'GBP',
      transaction_id: '1234',
      affiliation: '',
      value: 49.5,
      tax: 0,
      shipping: 4.5,
      coupon: '',
      items: [{ ...hoodie, quantity: 1 }],
    });
    // Nothing of the buyer or the order key: not the names, the street, the postcode, the key.
    const sent = JSON.stringify(cap.batches());
    for (const secret of [
      'Ada',
      'Lovelace',
      'James',
      'SW1Y',
      woo.ORDER.key,
      'orderData',
      'new_customer',
      'stockstatus',
      'internal_id',
    ])
      expect(sent).not.toContain(secret);
    expect(Object.keys(purchase.props).sort()).toEqual(
      [
        'affiliation',
        'checkout_ms',
        'coupon',
        'currency',
        'first_touch',
        'items',
        'last_touch',
        'shipping',
        'tax',
        'transaction_id',
        'value',
      ].sort(),
    );
    expect(ofType('begin_checkout')[0].props).toEqual({ currency: 'GBP', value: 45, items: [{ ...hoodie, quantity: 1 }] });
  });
});

describe("Google's documented GA4 e-commerce examples (dataLayer plugin)", () => {
  const t = setup();
  let server;
  beforeAll(async () => {
    server = await createStandin({ collect: cap.url('/collect'), platform: createGa4() });
  });
  afterAll(() => server?.close());

  for (const form of ['gtag', 'gtm'])
    it(`${form} form: every documented event mapped once with its documented parameters; ecommerce clears ignored`, async () => {
      const page = await t.open(server.url(`/${form}/`));
      await page.click('#run');
      await sentinel(page, 'done');
      const got = events().filter((e) => e.url.startsWith(server.origin) && GA4_EXAMPLES.some(([type]) => type === e.type));
      expect(got.map((e) => e.type)).toEqual(GA4_EXAMPLES.map(([type]) => type));
      for (const [i, [type, params]] of GA4_EXAMPLES.entries()) {
        const { checkout_ms, first_touch, last_touch, ...props } = got[i].props;
        expect(props, type).toEqual(params);
      }
    });
});
