import { describe, expect, it } from 'vitest';
import { createPairs, MARK } from '../../../src/plugins/cart-pairs';
import type { JourneyEvent } from '../../../src/types';

let n = 0;
const ev = (time: number, items: unknown[], props: Record<string, unknown> = {}, type = 'add_to_cart') =>
  ({ id: 'E' + ++n, type, time, props: { items, ...props } }) as unknown as JourneyEvent;

describe('cart pairs: one add reported by an adapter and by the page is sent once', () => {
  it('drops the second of a page add and an adapter add sharing an id, whichever comes first', () => {
    const logs: unknown[][] = [];
    const p = createPairs((...a) => logs.push(a));
    // The data layer names the product id, the adapter the SKU and the product id.
    expect(p.check(ev(1000, [{ item_id: '42' }]))).not.toBeNull();
    const second = ev(1800, [{ item_id: 'HOODIE' }], { [MARK]: p.mark(['42', 'HOODIE']) });
    expect(p.check(second)).toBeNull();
    expect(second.props).not.toHaveProperty(MARK);
    // The other order: the adapter first.
    const first = ev(5000, [{ item_id: 'CAP' }], { [MARK]: p.mark(['7', 'CAP']) });
    expect(p.check(first)).toBe(first);
    expect(first.props).toEqual({ items: [{ item_id: 'CAP' }] });
    expect(p.check(ev(5100, [{ item_id: '7' }]))).toBeNull();
    expect(logs).toHaveLength(2);
  });

  it('keeps two quick clicks as two adds, adds of other items, adds apart by 10 s and two page adds', () => {
    const p = createPairs();
    const kept = [
      ev(0, [{ item_id: '42' }]),
      ev(100, [{ item_id: '42' }]),
      ev(300, [{ item_id: 'HOODIE' }], { [MARK]: p.mark(['42', 'HOODIE']) }),
      ev(400, [{ item_id: 'HOODIE' }], { [MARK]: p.mark(['42', 'HOODIE']) }),
      ev(500, [{ item_id: 'MUG' }], { [MARK]: p.mark(['9', 'MUG']) }),
      ev(20_000, [{ item_id: '9' }]),
    ].map((e) => p.check(e));
    expect(kept.map((e) => e && (e.props.items as { item_id: string }[])[0].item_id)).toEqual([
      '42',
      '42',
      null,
      null,
      'MUG',
      '9',
    ]);
  });

  it('leaves other event types alone, only taking the mark off', () => {
    const p = createPairs();
    const e = ev(0, [{ item_id: '42' }], { [MARK]: p.mark(['42']) }, 'view_item');
    expect(p.check(e)).toBe(e);
    expect(p.check(ev(1, [{ item_id: '42' }], {}))).not.toBeNull();
    expect(p.check(ev(2, 'junk' as unknown as unknown[]))).not.toBeNull();
  });
});
