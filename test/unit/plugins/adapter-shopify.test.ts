import { afterEach, describe, expect, it, vi } from 'vitest';
import { asked } from '../../../src/plugins/adapter-shopify';
import { cart } from '../../../src/plugins/cart';
import { createFake, type Fake } from './fake-context';

const line = { id: 4711, variant_id: 4711, product_id: 99, sku: 'TEE-M', product_title: 'Tee', price: 1450, quantity: 2 };
const json = (body: unknown) =>
  new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

describe('asked: quantities per variant in a cart add body', () => {
  it('reads JSON, form-encoded text, FormData (quantity first, as Dawn sends it) and URLSearchParams', () => {
    expect(asked('{"id":4711,"quantity":2}')).toEqual({ 4711: 2 });
    expect(asked(JSON.stringify({ items: [{ id: 1, quantity: 3 }, { id: 2 }] }))).toEqual({ 1: 3, 2: 1 });
    expect(asked('items%5B0%5D%5Bid%5D=7&items%5B0%5D%5Bquantity%5D=4&items%5B1%5D%5Bid%5D=8')).toEqual({ 7: 4, 8: 1 });
    const fd = new FormData();
    fd.append('quantity', '5');
    fd.append('form_type', 'product');
    fd.append('id', '4711');
    fd.append('sections', 'cart-drawer');
    expect(asked(fd)).toEqual({ 4711: 5 });
    expect(asked(new URLSearchParams('id=9'))).toEqual({ 9: 1 });
    expect(asked(undefined)).toBeUndefined();
    expect(asked(new Blob(['id=1']))).toBeUndefined();
  });
});

describe('shopify adapter quantities', () => {
  let fake: Fake;
  const realFetch = window.fetch;
  afterEach(() => {
    fake.destroy();
    window.fetch = realFetch;
  });

  it('reports the quantity asked for when Shopify answers with the line total of a variant already in the cart', async () => {
    let total = 0;
    window.fetch = vi.fn(async (_u: unknown, init?: RequestInit) =>
      json({ ...line, quantity: (total += asked(init!.body)![4711]) }),
    ) as typeof fetch;
    fake = createFake().use(cart({ shopify: true, currency: 'EUR' }));
    await window.fetch('/fr/cart/add', { method: 'POST', body: '{"id":4711,"quantity":2}' });
    await vi.waitFor(() => expect(fake.of('add_to_cart')).toHaveLength(1));
    await window.fetch('/fr/cart/add', { method: 'POST', body: '{"id":4711,"quantity":1}' });
    await vi.waitFor(() => expect(fake.of('add_to_cart')).toHaveLength(2));
    expect(fake.of('add_to_cart').map((e) => [(e.props.items as { quantity: number }[])[0].quantity, e.props.value])).toEqual([
      [2, 29],
      [1, 14.5],
    ]);
    // Shopify's cart holds 3 × 14.50: so does the tracker's.
    expect(fake.stateOf<{ i: { quantity: number }[] }>('cart')!.i.map((i) => i.quantity)).toEqual([3]);
  });
});
