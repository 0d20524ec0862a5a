import { afterEach, describe, expect, it } from 'vitest';
import { dataLayer } from '../../../src/plugins/data-layer';
import { createFake, type Fake } from './fake-context';

const w = window as unknown as Record<string, any>;
let fake: Fake;
afterEach(() => {
  fake.destroy();
  delete w.dataLayer;
  delete w.gtmLayer;
});
const start = (opts?: Parameters<typeof dataLayer>[0]) => (fake = createFake()).use(dataLayer(opts));
/** What gtag.js does: push its `arguments` object. */
function gtag(..._a: unknown[]) {
  // eslint-disable-next-line prefer-rest-params
  w.dataLayer.push(arguments);
}
const tracked = () => fake.sent.map((e) => [e.type, e.props]);

const item = { item_id: 'SKU-1', item_name: 'Shirt', price: 19.9, quantity: 1 };

describe('dataLayer', () => {
  it('maps entries already in the array, then later object and gtag pushes, in order', () => {
    w.dataLayer = [
      { 'gtm.start': 1, event: 'gtm.js' },
      { event: 'view_item', ecommerce: { currency: 'EUR', value: 19.9, items: [item] } },
    ];
    start();
    w.dataLayer.push({ ecommerce: null });
    w.dataLayer.push({ event: 'add_to_cart', ecommerce: { currency: 'EUR', value: 19.9, items: [item] } });
    gtag('event', 'purchase', { transaction_id: 'T1', currency: 'EUR', value: 19.9, tax: 3.18, items: [item], send_to: 'G-X' });
    gtag('config', 'G-X');
    expect(tracked()).toEqual([
      ['view_item', { currency: 'EUR', value: 19.9, items: [item] }],
      ['add_to_cart', { currency: 'EUR', value: 19.9, items: [item] }],
      ['purchase', { transaction_id: 'T1', currency: 'EUR', value: 19.9, tax: 3.18, items: [item] }],
    ]);
  });

  it('before the first page view holds entries, then maps them right after it', () => {
    w.dataLayer = [{ event: 'view_item', ecommerce: { value: 1 } }];
    fake = createFake({ session: '' }).use(dataLayer());
    w.dataLayer.push({ event: 'add_to_cart', ecommerce: { value: 2 } });
    expect(fake.sent).toEqual([]);
    fake.session = 'S1';
    fake.page();
    expect(fake.sent.map((e) => e.type)).toEqual(['page_view', 'view_item', 'add_to_cart']);
    fake.page();
    expect(fake.sent).toHaveLength(4);
  });

  it('keeps push working: the array gets every entry and push returns the new length', () => {
    start();
    expect(w.dataLayer.push({ event: 'login', method: 'Google' }, { event: 'x' })).toBe(2);
    expect(w.dataLayer).toHaveLength(2);
    expect(tracked()).toEqual([['login', { method: 'Google' }]]);
  });

  it('maps non-ecommerce GA4 types with their params, dropping GTM internals and callbacks', () => {
    start();
    w.dataLayer.push({
      event: 'search',
      search_term: 'socks',
      'gtm.uniqueEventId': 7,
      eventCallback: () => {},
      eventTimeout: 2000,
    });
    w.dataLayer.push({ event: 'sign_up', method: 'email', callback: () => {} });
    expect(tracked()).toEqual([
      ['search', { search_term: 'socks' }],
      ['sign_up', { method: 'email' }],
    ]);
  });

  it('turns numeric strings into numbers and numeric item ids into strings', () => {
    start();
    w.dataLayer.push({
      event: 'purchase',
      ecommerce: {
        transaction_id: 1001,
        value: '42.50',
        shipping: ' ',
        items: [{ item_id: 77, price: '21.25', quantity: '2', item_name: '3' }],
      },
    });
    expect(fake.sent[0].props).toEqual({
      transaction_id: 1001,
      value: 42.5,
      shipping: ' ',
      items: [{ item_id: '77', price: 21.25, quantity: 2, item_name: '3' }],
    });
  });

  it('ignores unknown events, its own mirrored entries and an entry pushed twice', () => {
    start();
    const e = { event: 'view_cart', ecommerce: { value: 1 } };
    w.dataLayer.push({ event: 'page_view' }, { event: 'purchase', journey: true, ecommerce: {} }, e);
    w.dataLayer.push(e);
    expect(tracked()).toEqual([['view_cart', { value: 1 }]]);
  });

  it('never throws on junk and goes on with the next entry', () => {
    start();
    const hostile = Object.defineProperty({ event: 'purchase' }, 'ecommerce', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    const polluted = JSON.parse('{"event":"add_to_cart","ecommerce":{"__proto__":{"polluted":1},"value":2}}');
    expect(() =>
      w.dataLayer.push(
        null,
        undefined,
        7,
        'add_to_cart',
        ['event'],
        ['event', 'view_item', 'junk'],
        hostile,
        polluted,
        Symbol('x'),
      ),
    ).not.toThrow();
    expect(tracked()).toEqual([
      ['view_item', {}],
      ['add_to_cart', { value: 2 }],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(fake.sent[1].props)).toBe(Object.prototype);
  });

  it('uses a custom array name and creates the array when missing', () => {
    start({ name: 'gtmLayer' });
    expect(Array.isArray(w.gtmLayer)).toBe(true);
    w.gtmLayer.push({ event: 'view_item_list', ecommerce: { item_list_id: 'home' } });
    expect(tracked()).toEqual([['view_item_list', { item_list_id: 'home' }]]);
  });

  it('restores push on teardown, and stays silent inside a chain that wrapped it later (GTM)', () => {
    w.dataLayer = [];
    const original = w.dataLayer.push;
    start();
    fake.destroy();
    expect(w.dataLayer.push).toBe(original);

    start();
    const ours = w.dataLayer.push;
    const gtm = (...a: unknown[]) => ours.apply(w.dataLayer, a);
    w.dataLayer.push = gtm;
    fake.destroy();
    expect(w.dataLayer.push).toBe(gtm);
    w.dataLayer.push({ event: 'view_cart', ecommerce: {} });
    expect(fake.sent).toEqual([]);
    expect(w.dataLayer).toHaveLength(1);
  });

  it('logs and does nothing when the global is not an array', () => {
    w.dataLayer = { push: () => 0 };
    start();
    expect(fake.logs.length).toBe(1);
    expect(typeof w.dataLayer.push).toBe('function');
  });
});

describe('dataLayer: only GA4 fields leave the page', () => {
  it("drops what a shop plugin puts beside a purchase (gtm4wp's orderData, customer fields) and non-GA4 item keys", () => {
    start();
    w.dataLayer.push({
      event: 'purchase',
      new_customer: true,
      customerBillingFirstName: 'Ada',
      orderData: {
        attributes: { order_key: 'wc_order_x1' },
        customer: { billing: { first_name: 'Ada', address_1: '1 Main St', postcode: 'N1 9GU' } },
      },
      ecommerce: {
        currency: 'GBP',
        transaction_id: '1234',
        affiliation: '',
        value: 90,
        tax: 15,
        shipping: 4.5,
        coupon: '',
        items: [
          {
            item_id: 42,
            item_name: 'Hoodie',
            sku: 'HOODIE',
            internal_id: 42,
            stocklevel: 7,
            stockstatus: 'instock',
            google_business_vertical: 'retail',
            id: 42,
            item_category: 'Clothing',
            item_category2: 'Hoodies',
            price: 45,
            quantity: 2,
          },
        ],
      },
    });
    expect(tracked()).toEqual([
      [
        'purchase',
        {
          currency: 'GBP',
          transaction_id: '1234',
          affiliation: '',
          value: 90,
          tax: 15,
          shipping: 4.5,
          coupon: '',
          items: [
            { item_id: '42', item_name: 'Hoodie', item_category: 'Clothing', item_category2: 'Hoodies', price: 45, quantity: 2 },
          ],
        },
      ],
    ]);
  });

  it('keeps event-level GA4 parameters of other events and drops objects under GA4 names', () => {
    start();
    gtag('event', 'view_promotion', {
      creative_name: 'Summer',
      creative_slot: 'hero',
      promotion_id: 'P1',
      promotion_name: 'Sale',
      items: 'x',
    });
    gtag('event', 'add_shipping_info', { currency: 'EUR', value: { a: 1 }, shipping_tier: 'Ground', coupon: null });
    expect(tracked()).toEqual([
      ['view_promotion', { creative_name: 'Summer', creative_slot: 'hero', promotion_id: 'P1', promotion_name: 'Sale' }],
      ['add_shipping_info', { currency: 'EUR', shipping_tier: 'Ground', coupon: null }],
    ]);
  });

  it('keeps every parameter GA4 documents for generate_lead and share', () => {
    start();
    gtag('event', 'generate_lead', { currency: 'EUR', value: 30, lead_source: 'Trade show' });
    gtag('event', 'share', { method: 'Twitter', content_type: 'image', item_id: 'C_12345' });
    expect(tracked()).toEqual([
      ['generate_lead', { currency: 'EUR', value: 30, lead_source: 'Trade show' }],
      ['share', { method: 'Twitter', content_type: 'image', item_id: 'C_12345' }],
    ]);
  });
});
