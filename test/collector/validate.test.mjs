import { describe, expect, it } from 'vitest';
import { checkBatch, LIMITS } from '../../examples/collector/lib/validate.js';
import { ulidToBigInt, bigIntToUlid } from '../../examples/collector/lib/ulid.js';
import { parseRange } from '../../examples/collector/lib/range.js';
import { pageType } from '../../examples/collector/lib/classify.js';
import { COLUMNS } from '../../examples/collector/lib/storage/schema.js';
import { batch, event } from './helpers.mjs';

const now = Date.UTC(2026, 0, 15, 12);

describe('checkBatch', () => {
  it('turns a valid batch into rows with the extracted columns', () => {
    const e = event({
      type: 'purchase',
      time: now - 5000,
      stage: 'conversion',
      url: 'https://s/products/x',
      props: { transaction_id: 'T1', value: 19.9, currency: 'eur', extra: { a: 1 } },
    });
    const r = checkBatch(batch([e], { sent_at: now, unknown_field: 1 }), now);
    expect('error' in r).toBe(false);
    const [row] = r.rows;
    expect(row).toMatchObject({
      site: 'test-shop',
      type: 'purchase',
      time: now - 5000,
      stage: 2,
      txn: 'T1',
      value: 19.9,
      currency: 'EUR',
      page_type: 'product',
    });
    expect(row.id).toBe(ulidToBigInt(e.id));
    expect(JSON.parse(row.props).extra).toEqual({ a: 1 });
  });

  it.each([
    ['not an object', [], 'expected a JSON object'],
    ['wrong version', { v: 2, site: 's', events: [] }, 'v: expected 1'],
    ['site with spaces', { v: 1, site: 'my shop', events: [] }, 'site:'],
    ['site over 100 characters', { v: 1, site: 's'.repeat(101), events: [] }, 'site:'],
    ['events not an array', { v: 1, site: 's', events: {} }, 'events: expected an array'],
  ])('rejects a broken envelope: %s', (_, body, message) => {
    const r = checkBatch(body, now);
    expect(r.error).toContain(message);
  });

  it.each([
    ['id not a ULID', { id: 'not-a-ulid' }, 'id'],
    ['id over 128 bits', { id: '8ZZZZZZZZZZZZZZZZZZZZZZZZZ' }, 'id'],
    ['time as a string', { time: '1763799999000' }, 'time'],
    ['time NaN-like', { time: null }, 'time'],
    ['unknown stage', { stage: 'loyalty' }, 'stage'],
    ['empty visitor id', { visitor_id: '' }, 'visitor_id'],
    ['session id a number', { session_id: 7 }, 'session_id'],
    ['stage an inherited property name', { stage: 'toString' }, 'stage'],
    ['referrer too long', { referrer: 'x'.repeat(LIMITS.maxUrl + 1) }, 'referrer'],
    ['props an array', { props: [1] }, 'props'],
    ['type with a control character', { type: 'add\nto cart' }, 'type'],
    ['type over 100 characters', { type: 'x'.repeat(101) }, 'type'],
    ['empty type', { type: '' }, 'type'],
    ['url too long', { url: 'x'.repeat(LIMITS.maxUrl + 1) }, 'url'],
    ['user_id a number', { user_id: 5 }, 'user_id'],
    ['user_id over 200 characters', { user_id: 'u'.repeat(201) }, 'user_id'],
    ['props over the limit', { props: { s: 'x'.repeat(LIMITS.maxProps) } }, 'props'],
  ])('refuses an event on its own: %s, counting it under a reason naming the field', (_, over, field) => {
    const r = checkBatch(batch([event(), event(over), event()]), now);
    expect(r.rows).toHaveLength(2);
    expect(r.refused).toBe(1);
    const [reason] = Object.keys(r.reasons);
    expect(reason.split(':')[0]).toBe(field);
    expect(r.reasons[reason]).toBe(1);
  });

  it.each([
    ["'Add to cart'", { type: 'Add to cart' }],
    ['a type of 100 characters', { type: 'é'.repeat(100) }],
    ['a user_id of 200 characters', { user_id: 'u'.repeat(200) }],
    ['an event time before 2000 (a clock reset to 1970)', { time: 5000 }],
  ])('accepts %s', (_, over) => {
    expect(checkBatch(batch([event(over)]), now)).toMatchObject({ refused: 0 });
  });

  it.each([
    ['sent_at a string', { sent_at: '1' }],
    ['sent_at 1e300', { sent_at: 1e300 }],
    ['sent_at -1e300', { sent_at: -1e300 }],
    ['sent_at in the year 33,000', { sent_at: now + 1e15 }],
    ['a negative dropped', { dropped: -1, sent_at: now }],
  ])('ignores a nonsensical batch field: %s, and keeps event times within 2000 … now', (_, over) => {
    const r = checkBatch(batch([event({ time: now - 5000 }), event({ time: 1e300 }), event({ time: -1e300 })], over), now);
    expect(r.refused).toBe(0);
    expect(r.rows.map((x) => x.time)).toEqual([now - 5000, now, Date.UTC(2000, 0, 1)]);
    expect(r.dropped).toBe(0);
  });

  it('clamps the numbers the report adds up to finite ranges', () => {
    const rows = checkBatch(
      batch([
        event({ type: 'purchase', props: { value: 1.7e308, transaction_id: 'T' } }),
        event({ type: 'refund', props: { value: -1.7e308 } }),
        event({ type: 'page_leave', props: { engaged_ms: 1e300 } }),
        event({ type: 'nps_response', props: { score: 1e9 } }),
      ]),
      now,
    ).rows;
    expect(rows.map((r) => [r.value, r.engaged_ms, r.score])).toEqual([
      [1e15, null, null],
      [-1e15, null, null],
      [null, 864e5, null],
      [null, null, 10],
    ]);
    // What was sent stays as sent in props.
    expect(JSON.parse(rows[0].props).value).toBe(1.7e308);
  });

  it('gives every row the same fields in the same order, each stored column among them', () => {
    // One shape for all rows keeps them fast objects: a spread-built row once cost most of ingest's CPU.
    const events = [
      event(),
      event({ type: 'purchase', user_id: 'u1', props: { transaction_id: 7, value: 5, currency: 'usd' } }),
      event({ type: 'web_vital', props: { name: 'lcp', value: 1200 }, truncated: true }),
      event({ type: 'nps_response', props: { score: 9 }, url: undefined, title: undefined }),
    ];
    const rows = checkBatch(batch(events), now).rows;
    const keys = rows.map((r) => Object.keys(r).join());
    expect(new Set(keys).size).toBe(1);
    for (const [name] of COLUMNS) expect(Object.keys(rows[0])).toContain(name);
    expect(rows.map((r) => [r.txn, r.vital, r.score, r.stage])).toEqual([
      [null, null, null, 0],
      ['7', null, null, 0],
      [null, 'LCP', null, 0],
      [null, null, 9, 0],
    ]);
  });

  it('accepts lower-case ULIDs as the same key', () => {
    const e = event();
    const a = checkBatch(batch([e]), now).rows[0].id;
    const b = checkBatch(batch([{ ...e, id: e.id.toLowerCase() }]), now).rows[0].id;
    expect(a).toBe(b);
  });

  it('corrects event times when the browser clock is off by more than the tolerance', () => {
    const hourAhead = now + 3_600_000;
    const r = checkBatch(batch([event({ time: hourAhead - 2000 })], { sent_at: hourAhead }), now);
    expect(r.rows[0].time).toBe(now - 2000);
  });

  it('keeps event times within the tolerance and never stores a future time', () => {
    const withinTolerance = checkBatch(batch([event({ time: now - 2000 })], { sent_at: now - LIMITS.skewMs }), now);
    expect(withinTolerance.rows[0].time).toBe(now - 2000);
    const future = checkBatch(batch([event({ time: now + 10_000 })], { sent_at: now }), now);
    expect(future.rows[0].time).toBe(now);
  });

  it('refuses more events than the per-batch cap', () => {
    const e = event();
    const r = checkBatch(batch(new Array(LIMITS.maxEvents + 1).fill(e)), now);
    expect(r.error).toMatch(/^events: over/);
  });
});

describe('ulid keys', () => {
  it('round-trips the largest ULID through 128 bits', () => {
    expect(ulidToBigInt('7ZZZZZZZZZZZZZZZZZZZZZZZZZ')).toBe((1n << 128n) - 1n);
    const u = '01JD3Q8Z7X9K2M4N6P8R0T2V4W';
    expect(bigIntToUlid(ulidToBigInt(u))).toBe(u);
    expect(ulidToBigInt('01JD3Q8Z7X9K2M4N6P8R0T2V4U')).toBeUndefined(); // U is not Crockford
  });
});

describe('parseRange', () => {
  it('defaults to the last 30 UTC days including today, end exclusive', () => {
    const r = parseRange(null, null, Date.UTC(2026, 0, 31, 15));
    expect(r).toEqual({ from: Date.UTC(2026, 0, 2), to: Date.UTC(2026, 1, 1), days: 30 });
  });
  it('rejects impossible dates and reversed ranges', () => {
    expect(parseRange('2026-02-31', null).error).toContain('from');
    expect(parseRange('2026-01-10', '2026-01-09').error).toContain('after');
    expect(parseRange(null, '26-1-1').error).toContain('to');
  });
});

describe('pageType', () => {
  it.each([
    ['https://s/shop/', 'home'],
    ['https://s/products/shirt?variant=2', 'product'],
    ['https://s/collections/all', 'collection'],
    ['https://s/checkouts/abc/thank_you', 'thank-you'],
    ['https://s/checkout/', 'checkout'],
    ['https://s/cart', 'cart'],
    ['https://s/search?q=products/x', 'search'],
    ['https://s/account/orders/1', 'account'],
    ['https://s/about/team', 'other'],
  ])('%s is %s', (url, type) => expect(pageType(url)).toBe(type));
});
