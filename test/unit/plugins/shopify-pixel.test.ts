/** The Shopify pixel example (examples/shopify-pixel/pixel.js) run in a stand-in of Shopify's sandbox. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';

const code = readFileSync(resolve(import.meta.dirname, '../../../examples/shopify-pixel/pixel.js'), 'utf8');

const sandbox = (stored: Record<string, string> = {}) => {
  const subs: Record<string, (e: unknown) => Promise<void>> = {};
  const bodies: any[] = [];
  const fetch = vi.fn(async (_url: string, init: { body: string; headers: Record<string, string>; keepalive: boolean }) => {
    bodies.push(JSON.parse(init.body));
    return new Response('', { status: 204 });
  });
  runInNewContext(code, {
    analytics: { subscribe: (name: string, fn: (e: unknown) => Promise<void>) => void (subs[name] = fn) },
    browser: {
      localStorage: {
        getItem: async (k: string) => (k in stored ? stored[k] : null),
        setItem: async (k: string, v: string) => void (stored[k] = v),
      },
    },
    fetch,
    crypto,
    console,
  });
  return { subs, bodies, fetch, stored };
};

const checkout = {
  currencyCode: 'EUR',
  token: 'tok',
  totalPrice: { amount: 59.8, currencyCode: 'EUR' },
  totalTax: { amount: 9.55 },
  shippingLine: { price: { amount: 4.9 } },
  order: { id: '5550001' },
  discountApplications: [{ title: 'SPRING10' }],
  lineItems: [
    {
      id: 'li1',
      quantity: 2,
      title: 'Tee',
      variant: {
        sku: 'TEE-M',
        title: 'M',
        price: { amount: 27.45 },
        product: { id: '99', title: 'Tee', vendor: 'Acme', type: 'Shirts' },
      },
    },
  ],
};
const event = (name: string, at: string) => ({
  name,
  timestamp: at,
  clientId: 'shopify-client',
  data: { checkout },
  context: { document: { location: { href: 'https://shop.example/checkouts/cn/1' }, referrer: '', title: 'Checkout' } },
});

describe('shopify pixel example', () => {
  it('sends begin_checkout and one purchase per order in the wire format, joined to the theme ids', async () => {
    const t0 = Date.parse('2026-01-01T10:00:00Z');
    const box = sandbox({ 'journey:pixel-ids': JSON.stringify(['VIS', 'SES', t0 - 60_000]) });
    await box.subs.checkout_started(event('checkout_started', '2026-01-01T10:00:00Z'));
    await box.subs.checkout_completed(event('checkout_completed', '2026-01-01T10:03:00Z'));
    await box.subs.checkout_completed(event('checkout_completed', '2026-01-01T10:05:00Z'));

    expect(box.fetch).toHaveBeenCalledTimes(2);
    const init = box.fetch.mock.calls[0][1];
    expect(init.keepalive).toBe(true);
    expect(init.headers['content-type']).toBe('text/plain;charset=UTF-8');

    const [begin, purchase] = box.bodies.map((b) => {
      expect(b).toMatchObject({ v: 1, site: 'my-shop' });
      expect(b.events).toHaveLength(1);
      return b.events[0];
    });
    expect(begin).toMatchObject({ type: 'begin_checkout', visitor_id: 'VIS', session_id: 'SES', stage: 'conversion', time: t0 });
    expect(begin.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(purchase.id).not.toBe(begin.id);
    // ULIDs are time first: a later event sorts after.
    expect(purchase.id > begin.id).toBe(true);
    expect(purchase.props).toEqual({
      currency: 'EUR',
      value: 59.8,
      transaction_id: '5550001',
      tax: 9.55,
      shipping: 4.9,
      coupon: 'SPRING10',
      checkout_ms: 180_000,
      items: [
        {
          item_id: 'TEE-M',
          item_name: 'Tee',
          item_variant: 'M',
          item_brand: 'Acme',
          item_category: 'Shirts',
          price: 27.45,
          quantity: 2,
        },
      ],
    });
  });

  it('without theme ids uses Shopify client id and one new session for the whole checkout', async () => {
    const box = sandbox();
    await box.subs.checkout_started(event('checkout_started', '2026-01-01T10:00:00Z'));
    await box.subs.payment_info_submitted(event('payment_info_submitted', '2026-01-01T10:02:00Z'));
    const [a, b] = box.bodies.map((x) => x.events[0]);
    expect(a.visitor_id).toBe('shopify-client');
    expect(b.type).toBe('add_payment_info');
    expect(b.session_id).toBe(a.session_id);
    expect(a.session_id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('never throws into the checkout when the network fails', async () => {
    const box = sandbox();
    box.fetch.mockRejectedValueOnce(new TypeError('offline'));
    await expect(box.subs.checkout_started(event('checkout_started', 'bad date'))).resolves.toBeUndefined();
  });
});
