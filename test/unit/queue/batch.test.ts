import { describe, expect, it } from 'vitest';
import { batches, bytes, cut, frame, item, keysOf, LIMIT, room, shrink } from '../../../src/queue/batch';
import { json } from '../../../src/lib/json';
import type { JourneyEvent } from '../../../src/types';

const ev = (props: Record<string, unknown>, extra: Partial<JourneyEvent> = {}): JourneyEvent => ({
  id: '01JD3Q8Z7X9K2M4N6P8R0T2V4W',
  type: 'purchase',
  time: 1,
  visitor_id: 'v',
  session_id: 's',
  stage: 'conversion',
  url: 'https://shop.example/',
  referrer: '',
  title: 'T',
  props,
  ...extra,
});

describe('bytes', () => {
  it('equals the UTF-8 length for ASCII and the BMP', () => {
    for (const s of ['', 'abc', 'é', 'ß€', 'naïve €19,90 — ok', '\u07ff\u0800']) expect(bytes(s)).toBe(Buffer.byteLength(s));
  });
  it('never under-counts astral characters', () => {
    const s = '😀x😀';
    expect(bytes(s)).toBeGreaterThanOrEqual(Buffer.byteLength(s));
  });
});

describe('frame', () => {
  it('is the wire format and parses as JSON', () => {
    const body = JSON.parse(frame('my "shop"', ['{"id":"a"}', '{"id":"b"}'], 3));
    expect(body).toMatchObject({ v: 1, site: 'my "shop"', events: [{ id: 'a' }, { id: 'b' }], dropped: 3 });
    expect(typeof body.sent_at).toBe('number');
  });
  it('leaves `dropped` out when nothing was dropped', () => {
    expect(JSON.parse(frame('s', [], 0))).not.toHaveProperty('dropped');
  });
  it('room leaves space for the frame with a large dropped count', () => {
    const r = room('shop');
    expect(bytes(frame('shop', ['x'.repeat(r - 2).replace(/^x|x$/g, '"')], 999999999))).toBeLessThanOrEqual(LIMIT);
  });
});

describe('cut', () => {
  it('keeps small props, drops big ones, marks truncated, leaves the original alone', () => {
    const e = ev({ transaction_id: 'T-1', value: 10, items: Array(2000).fill({ item_id: 'SKU-1234567' }) });
    const c = cut(e);
    expect(c.truncated).toBe(true);
    expect(c.props).toEqual({ transaction_id: 'T-1', value: 10 });
    expect(c.id).toBe(e.id);
    expect(e.props.items).toHaveLength(2000);
    expect(e.truncated).toBeUndefined();
  });
  it('fits any event, even with huge multibyte strings everywhere', () => {
    const big = '€'.repeat(1e5);
    const props: Record<string, unknown> = {};
    for (let i = 0; i < 200; i++) props['k' + i] = '€'.repeat(40);
    const c = cut(ev(props, { url: big, title: big, referrer: big, type: big, user_id: big }));
    expect(bytes(json(c)!)).toBeLessThan(room('a-site-key'));
    expect(Object.keys(c.props).length).toBeGreaterThan(0);
  });
  it('skips props that cannot be serialised', () => {
    expect(cut(ev({ n: BigInt(10), ok: 1 })).props).toEqual({ ok: 1 });
  });
});

describe('item and batches', () => {
  it('item is undefined for what cannot be serialised, and cuts what is too big alone', () => {
    expect(item('k', ev({ n: BigInt(1) }), 1000)).toBeUndefined();
    const small = item('k', ev({ a: 1 }), 1000)!;
    expect(small._t).toBeUndefined();
    expect(JSON.parse(small._s).props).toEqual({ a: 1 });
    const big = item('k', ev({ a: 1, long: 'x'.repeat(5000) }), 2000)!;
    expect(big._t).toBe(1);
    expect(JSON.parse(big._s)).toMatchObject({ truncated: true, props: { a: 1 } });
    expect(big._n).toBeLessThanOrEqual(2000);
    expect(big._c).toBeGreaterThan(5000); // the cap counts what is stored, not what is sent
  });
  it('batches pack events and commas up to exactly the room, every item once, in order', () => {
    const l = ['a', 'b', 'c', 'd'].map((k) => ({ _k: k, _n: 10 }) as any);
    const keys = (bs: any[][]) => bs.map((b) => b.map((x) => x._k).join(''));
    expect(keys(batches(l, 32))).toEqual(['abc', 'd']); // 10+1+10+1+10 = 32
    expect(keys(batches(l, 31))).toEqual(['ab', 'cd']);
    expect(keys(batches(l, 31, 3))).toEqual(['d']);
    expect(keys(batches(l, 1000))).toEqual(['abcd']);
    expect(batches(l, 1000, 4)).toEqual([]);
  });

  it('shrink cuts an item once, marks it, and counts its new bytes; keysOf lists a batch keys in order', () => {
    const x = item('k', ev({ a: 1, long: 'x'.repeat(5000) }), 1e5)!;
    expect(x._t).toBeUndefined();
    shrink(x);
    expect(x._t).toBe(1);
    expect(JSON.parse(x._s)).toMatchObject({ truncated: true, props: { a: 1 } });
    expect(x._n).toBe(bytes(x._s));
    expect(keysOf([x, { ...x, _k: 'j' }])).toEqual(['k', 'j']);
  });
});
