/** The commerce plugins inside the real core (delivery replaced by a recorder), as a shop runs them. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { processNow } from '../process-now';
import type { JourneyEvent, Tracker } from '../../../src/types';

const pushed: JourneyEvent[] = [];
vi.mock('../../../src/queue/queue', () => ({
  createDelivery: () => ({
    push: (e: JourneyEvent) => pushed.push(JSON.parse(JSON.stringify(e))),
    flush: async () => {},
    release: () => {},
    erase: async () => {},
    destroy: () => {},
  }),
}));

const { createTracker } = await import('../../../src/tracker/tracker');
const { cart } = await import('../../../src/plugins/cart');
const { checkout } = await import('../../../src/plugins/checkout');
const { referral } = await import('../../../src/plugins/referral');
const { dataLayer } = await import('../../../src/plugins/data-layer');

let tracker: Tracker | undefined;
const make = () =>
  (tracker = processNow(createTracker({ endpoint: '/collect', site: 'test', plugins: [cart(), checkout(), referral()] })));
const of = (type: string) => pushed.filter((e) => e.type == type);

beforeEach(() => {
  pushed.length = 0;
  localStorage.clear();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2026-03-01T10:00:00Z'));
});
afterEach(() => {
  tracker?.destroy();
  vi.useRealTimers();
  history.replaceState(null, '', '/');
});

describe('plugins in the core', () => {
  it('a session left with a full cart produces one cart_abandoned with the ended session id, before the next session events', () => {
    make();
    const first = pushed[0].session_id;
    tracker!.track('add_to_cart', { currency: 'EUR', items: [{ item_id: 'SKU-1', price: 10, quantity: 2 }] });
    vi.setSystemTime(Date.now() + 31 * 60_000);
    tracker!.page();
    tracker!.page();
    const abandoned = of('cart_abandoned');
    expect(abandoned).toHaveLength(1);
    expect(abandoned[0].session_id).toBe(first);
    expect(abandoned[0].props).toEqual({ items: [{ item_id: 'SKU-1', price: 10, quantity: 2 }], value: 20, currency: 'EUR' });
    const views = of('page_view');
    expect(views[1].session_id).not.toBe(first);
    expect(pushed.indexOf(abandoned[0])).toBeLessThan(pushed.indexOf(views[1]));
  });

  it('a purchase carries checkout_ms and the touches, and empties the cart', () => {
    history.replaceState(null, '', '/?utm_source=newsletter&utm_medium=email&utm_campaign=spring&ref=amy');
    make();
    tracker!.track('add_to_cart', { items: [{ item_id: 'SKU-1', price: 10 }] });
    tracker!.track('begin_checkout');
    vi.setSystemTime(Date.now() + 90_000);
    tracker!.track('purchase', { transaction_id: 'T1', value: 10, currency: 'EUR' });
    tracker!.track('purchase', { transaction_id: 'T1', value: 10, currency: 'EUR' });
    const p = of('purchase');
    expect(p).toHaveLength(1);
    expect(p[0].props.checkout_ms).toBe(90_000);
    const touch = { source: 'newsletter', medium: 'email', campaign: 'spring', ref: 'amy' };
    expect(p[0].props.first_touch).toEqual(touch);
    expect(p[0].props.last_touch).toEqual(touch);
    vi.setSystemTime(Date.now() + 31 * 60_000);
    tracker!.page();
    expect(of('cart_abandoned')).toEqual([]);
  });

  it('a pre-filled dataLayer and later pushes become journey events with their stage', () => {
    const w = window as unknown as { dataLayer?: unknown[] };
    w.dataLayer = [{ event: 'view_item', ecommerce: { currency: 'EUR', value: 5, items: [{ item_id: 'A', price: 5 }] } }];
    tracker = processNow(createTracker({ endpoint: '/collect', site: 'test', plugins: [dataLayer()] }));
    w.dataLayer.push({
      event: 'add_to_cart',
      ecommerce: { currency: 'EUR', value: 5, items: [{ item_id: 'A', price: 5, quantity: 1 }] },
    });
    // The page view opens the session: the waiting entries come after it.
    expect(pushed[0].type).toBe('page_view');
    expect(pushed.filter((e) => e.type != 'stage_change').map((e) => [e.type, e.stage])).toEqual([
      ['page_view', 'awareness'],
      ['view_item', 'consideration'],
      ['add_to_cart', 'conversion'],
    ]);
    delete w.dataLayer;
  });

  it('a view_cart keeps what the cart held when it was sent, whatever the cart does later', () => {
    const sent: JourneyEvent[] = [];
    tracker = processNow(
      createTracker({
        endpoint: '/collect',
        site: 'test',
        plugins: [cart(), { name: 'spy', beforeSend: (e) => void sent.push(e) }],
      }),
    );
    tracker.track('add_to_cart', { items: [{ item_id: 'A', quantity: 3 }] });
    tracker.track('view_cart');
    tracker.track('remove_from_cart', { items: [{ item_id: 'A', quantity: 1 }] });
    const view = sent.find((e) => e.type == 'view_cart')!;
    expect(view.props.items).toEqual([{ item_id: 'A', quantity: 3 }]);
  });
});
