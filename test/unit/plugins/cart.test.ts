import { afterEach, describe, expect, it, vi } from 'vitest';
import { cart } from '../../../src/plugins/cart';
import { createFake, type Fake } from './fake-context';

const shirt = { item_id: 'SKU-1', item_name: 'Shirt', item_variant: 'M', price: 19.9 };
const mug = { item_id: 'MUG', price: 7.5 };

let fake: Fake;
const start = (opts?: Parameters<typeof cart>[0], f = createFake()) => (fake = f).use(cart(opts));
afterEach(() => fake && fake.destroy());

describe('cart contents', () => {
  it('sums quantities per item_id and variant, and keeps variants apart', () => {
    start();
    fake.track('add_to_cart', { currency: 'EUR', items: [{ ...shirt, quantity: 1 }] });
    fake.track('add_to_cart', { currency: 'EUR', items: [{ ...shirt, quantity: 2 }] });
    fake.track('add_to_cart', { items: [{ ...shirt, item_variant: 'L' }] });
    const s = fake.stateOf<{ i: { item_variant: string; quantity: number }[]; c: string }>('cart')!;
    expect(s.i.map((i) => [i.item_variant, i.quantity])).toEqual([
      ['M', 3],
      ['L', 1],
    ]);
    expect(s.c).toBe('EUR');
  });

  it('subtracts removed quantities and drops a line removed without quantity', () => {
    start();
    fake.track('add_to_cart', {
      items: [
        { ...shirt, quantity: 3 },
        { ...mug, quantity: 1 },
      ],
    });
    fake.track('remove_from_cart', { items: [{ item_id: 'SKU-1', item_variant: 'M', quantity: 2 }] });
    fake.track('remove_from_cart', { items: [{ item_id: 'MUG' }] });
    const s = fake.stateOf<{ i: { item_id: string; quantity: number }[] }>('cart')!;
    expect(s.i.map((i) => [i.item_id, i.quantity])).toEqual([['SKU-1', 1]]);
  });

  it('ignores junk items and a negative quantity never grows the cart', () => {
    start();
    fake.track('add_to_cart', { items: [null, 5, { item_name: 'no id' }, { ...mug, quantity: 2 }] });
    fake.track('remove_from_cart', { items: [{ item_id: 'MUG', quantity: -4 }] });
    fake.track('add_to_cart', { items: 'nope' });
    expect(fake.stateOf<{ i: { quantity: number }[] }>('cart')!.i.map((i) => i.quantity)).toEqual([2]);
  });

  it('keeps only GA4 item keys per line and at most 50 lines', () => {
    start();
    fake.track('add_to_cart', { items: [{ ...shirt, quantity: 1, description: 'x'.repeat(500), nested: { a: 1 } }] });
    fake.track('add_to_cart', { items: Array.from({ length: 60 }, (_, n) => ({ item_id: 'N' + n })) });
    const s = fake.stateOf<{ i: Record<string, unknown>[] }>('cart')!;
    expect(s.i[0]).toEqual({ ...shirt, quantity: 1 });
    expect(s.i).toHaveLength(50);
    expect(s.i[49].item_id).toBe('N48');
  });

  it('enriches a view_cart without items with the kept items, value and currency', () => {
    start();
    fake.track('add_to_cart', {
      currency: 'EUR',
      items: [
        { ...shirt, quantity: 2 },
        { ...mug, quantity: 1 },
      ],
    });
    const e = fake.track('view_cart')!;
    expect(e.props.items).toHaveLength(2);
    expect(e.props.value).toBe(47.3);
    expect(e.props.currency).toBe('EUR');
    // A view_cart that brings its own items is left alone.
    const own = fake.track('view_cart', { items: [mug] })!;
    expect(own.props.items).toEqual([mug]);
    expect(own.props.value).toBeUndefined();
  });

  it('a purchase empties the cart', () => {
    start();
    fake.track('add_to_cart', { items: [shirt] });
    fake.track('purchase', { transaction_id: 'T1' });
    expect(fake.stateOf('cart')).toBeUndefined();
    fake.newSession('S2');
    expect(fake.of('cart_abandoned')).toEqual([]);
  });
});

describe('cart_abandoned', () => {
  it('works the same when the core notifies `event` after beforeSend', () => {
    start(undefined, createFake({ notifyAfter: true }));
    fake.track('add_to_cart', { currency: 'EUR', items: [{ ...mug, quantity: 2 }] });
    expect(fake.track('view_cart')!.props.value).toBe(15);
    fake.newSession('S2');
    fake.track('add_to_cart', { items: [shirt] });
    fake.track('purchase', { transaction_id: 'T' });
    fake.newSession('S3');
    expect(fake.of('cart_abandoned').map((e) => [e.session_id, e.props.value])).toEqual([['S1', 15]]);
  });

  it('is emitted once when a new session starts after one that left items, with the ended session id', () => {
    start();
    fake.track('add_to_cart', { currency: 'EUR', items: [{ ...shirt, quantity: 2 }] });
    fake.newSession('S2');
    fake.newSession('S3');
    const a = fake.of('cart_abandoned');
    expect(a).toHaveLength(1);
    expect(a[0].session_id).toBe('S1');
    expect(a[0].props).toEqual({ items: [{ ...shirt, quantity: 2 }], value: 39.8, currency: 'EUR' });
    expect(fake.stateOf('cart')).toBeUndefined();
  });

  it('survives a reload: the cart is in the plugin state, not in memory', () => {
    const store = new Map<string, string>();
    start(undefined, createFake({ store }));
    fake.track('add_to_cart', { items: [mug] });
    fake.destroy();
    start(undefined, createFake({ store, session: 'S1' }));
    fake.newSession('S2');
    expect(fake.of('cart_abandoned').map((e) => e.session_id)).toEqual(['S1']);
  });

  it('falls back to the session of the last cart change when the core names no previous session', () => {
    start();
    fake.track('add_to_cart', { items: [mug] });
    fake.fire('session', { id: 'S9' });
    expect(fake.of('cart_abandoned')[0].session_id).toBe('S1');
  });

  it('is not emitted for a session that ended with an emptied cart', () => {
    start();
    fake.track('add_to_cart', { items: [mug] });
    fake.track('remove_from_cart', { items: [{ item_id: 'MUG' }] });
    fake.newSession('S2');
    expect(fake.of('cart_abandoned')).toEqual([]);
  });

  it('has no price-less value', () => {
    start();
    fake.track('add_to_cart', { items: [{ item_id: 'X' }] });
    fake.newSession('S2');
    expect(fake.of('cart_abandoned')[0].props.value).toBeUndefined();
  });
});

const cartLine = {
  id: 4711,
  product_id: 99,
  variant_id: 4711,
  sku: 'TEE-M',
  title: 'Tee - M',
  product_title: 'Tee',
  variant_title: 'M',
  vendor: 'Acme',
  product_type: 'Shirts',
  price: 2500,
  quantity: 2,
};
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('shopify adapter', () => {
  const realFetch = window.fetch;
  afterEach(() => {
    window.fetch = realFetch;
    delete (window as any).Shopify;
  });

  it('turns a fetch to /cart/add.js into add_to_cart with the answered line, and the caller still gets its response', async () => {
    const inner = vi.fn(async () => json(cartLine));
    window.fetch = inner as typeof fetch;
    (window as any).Shopify = { currency: { active: 'CAD' } };
    start({ shopify: true });
    const r = await window.fetch('/en/cart/add.js', { method: 'POST', body: '{"id":4711,"quantity":2}' });
    expect(await r.json()).toEqual(cartLine);
    expect(inner).toHaveBeenCalledWith('/en/cart/add.js', { method: 'POST', body: '{"id":4711,"quantity":2}' });
    await vi.waitFor(() => expect(fake.of('add_to_cart')).toHaveLength(1));
    expect(fake.of('add_to_cart')[0].props).toEqual({
      currency: 'CAD',
      value: 50,
      items: [
        {
          item_id: 'TEE-M',
          item_name: 'Tee',
          item_variant: 'M',
          item_brand: 'Acme',
          item_category: 'Shirts',
          price: 25,
          quantity: 2,
        },
      ],
    });
    expect(fake.stateOf<{ i: unknown[] }>('cart')!.i).toHaveLength(1);
  });

  it('maps an {items} answer, ignores other URLs and failed adds, and passes rejections through', async () => {
    window.fetch = vi.fn(async (u: RequestInfo | URL) => {
      const url = u instanceof Request ? u.url : String(u);
      if (url.includes('fail')) throw new TypeError('offline');
      if (url.includes('sold-out')) return json({ status: 422 }, 422);
      return json({ items: [cartLine, { ...cartLine, sku: '', product_id: 7 }] });
    }) as typeof fetch;
    start({ shopify: true, currency: 'EUR' });
    await window.fetch('/cart.js');
    await window.fetch(new Request('http://localhost/cart/add?sold-out=1', { method: 'POST' }));
    await expect(window.fetch('http://localhost/cart/add.js?fail=1')).rejects.toThrow('offline');
    await window.fetch(new URL('http://localhost/cart/add'));
    await vi.waitFor(() => expect(fake.of('add_to_cart')).toHaveLength(1));
    const e = fake.of('add_to_cart')[0];
    expect(e.props.currency).toBe('EUR');
    expect((e.props.items as { item_id: string }[]).map((i) => i.item_id)).toEqual(['TEE-M', '7']);
  });

  /** An XMLHttpRequest that answers every request with `cartLine` at once, and records what it was opened with. */
  const fakeXHR = (opened: unknown[][] = []) =>
    class FakeXHR extends EventTarget {
      status = 0;
      responseType = '';
      responseText = '';
      open(...a: unknown[]) {
        opened.push(a);
      }
      send() {
        this.status = 200;
        this.responseText = JSON.stringify(cartLine);
        this.dispatchEvent(new Event('load'));
      }
    };

  it('sees XMLHttpRequest adds (jQuery themes) and leaves the request working', async () => {
    const opened: unknown[][] = [];
    const FakeXHR = fakeXHR(opened);
    const real = window.XMLHttpRequest;
    (window as any).XMLHttpRequest = FakeXHR;
    try {
      start({ shopify: true });
      const x = new FakeXHR();
      x.open('POST', '/cart/add.js', true);
      x.send();
      const other = new FakeXHR();
      other.open('GET', '/cart.js');
      other.send();
      expect(opened).toEqual([
        ['POST', '/cart/add.js', true],
        ['GET', '/cart.js'],
      ]);
      expect(fake.of('add_to_cart').map((e) => (e.props.items as { item_id: string }[])[0].item_id)).toEqual(['TEE-M']);
      fake.destroy();
      expect(FakeXHR.prototype.open.name).toBe('open');
    } finally {
      (window as any).XMLHttpRequest = real;
    }
  });

  it('counts each add once on an XMLHttpRequest used again (for another add, or to read the cart)', async () => {
    const FakeXHR = fakeXHR();
    const real = window.XMLHttpRequest;
    (window as any).XMLHttpRequest = FakeXHR;
    try {
      start({ shopify: true });
      const x = new FakeXHR();
      x.open('POST', '/cart/add.js', true);
      x.send();
      x.open('GET', '/cart.js', true);
      x.send();
      expect(fake.of('add_to_cart')).toHaveLength(1);
      x.open('POST', '/cart/add.js', true);
      x.send();
      expect(fake.of('add_to_cart')).toHaveLength(2);
    } finally {
      (window as any).XMLHttpRequest = real;
    }
  });

  it('wraps nothing unless opted in, and restores fetch on teardown', () => {
    const mine = vi.fn() as unknown as typeof fetch;
    window.fetch = mine;
    start();
    expect(window.fetch).toBe(mine);
    fake.destroy();
    start({ shopify: true });
    expect(window.fetch).not.toBe(mine);
    fake.destroy();
    expect(window.fetch).toBe(mine);
  });

  it('stays switched off inside a chain that wrapped it later', async () => {
    window.fetch = vi.fn(async () => json(cartLine)) as typeof fetch;
    start({ shopify: true });
    const ours = window.fetch;
    const theirs = ((...a: Parameters<typeof fetch>) => ours(...a)) as typeof fetch;
    window.fetch = theirs;
    fake.destroy();
    expect(window.fetch).toBe(theirs);
    await window.fetch('/cart/add.js');
    await new Promise((r) => setTimeout(r, 0));
    expect(fake.of('add_to_cart')).toEqual([]);
  });
});

describe('woocommerce adapter', () => {
  /** Just enough jQuery: `$(el).on/off` and a trigger that passes extra args like jQuery does. */
  const fakeJQuery = () => {
    const handlers = new Map<string, Set<(...a: unknown[]) => void>>();
    const $ = () => ({
      on: (t: string, h: (...a: unknown[]) => void) => handlers.set(t, (handlers.get(t) || new Set()).add(h)),
      off: (t: string, h: (...a: unknown[]) => void) => handlers.get(t)?.delete(h),
    });
    const trigger = (t: string, args: unknown[]) => handlers.get(t)?.forEach((h) => h({ type: t }, ...args));
    return { $, trigger };
  };
  afterEach(() => delete (window as any).jQuery);

  const button = () => {
    const b = document.createElement('a');
    b.dataset.product_id = '42';
    b.dataset.product_sku = 'HOODIE';
    b.dataset.quantity = '3';
    return b;
  };

  it('maps added_to_cart with the button data to add_to_cart, and unsubscribes on teardown', () => {
    const jq = fakeJQuery();
    (window as any).jQuery = jq.$;
    start({ woocommerce: true, currency: 'GBP' });
    jq.trigger('added_to_cart', [{}, 'hash', [button()]]);
    expect(fake.of('add_to_cart').map((e) => e.props)).toEqual([
      { currency: 'GBP', items: [{ item_id: 'HOODIE', quantity: 3 }], value: undefined },
    ]);
    fake.destroy();
    jq.trigger('added_to_cart', [{}, 'hash', [button()]]);
    expect(fake.of('add_to_cart')).toHaveLength(1);
  });

  it('waits for window load when jQuery comes later, and survives a trigger without a button', () => {
    start({ woocommerce: true });
    const jq = fakeJQuery();
    (window as any).jQuery = jq.$;
    window.dispatchEvent(new Event('load'));
    jq.trigger('added_to_cart', [{}, 'hash', undefined]);
    expect(fake.of('add_to_cart')).toHaveLength(1);
    expect(fake.of('add_to_cart')[0].props.items).toEqual([]);
  });
});
