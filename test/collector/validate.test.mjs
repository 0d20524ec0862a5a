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
    const e = event({ type: 'purchase', time: now - 5000, stage: 'conversion', url: 'https://s/products/x', props: { transaction_id: 'T1', value: 19.9, currency: 'eur', extra: { a: 1 } } });
    const r = checkBatch(batch([e], { sent_at: now, unknown_field: 1 }), now);
    expect('error' in r).toBe(false);
    const [row] = r.rows;
    expect(row).toMatchObject({ site: 'test-shop', type: 'purchase', time: now - 5000, stage: 2, txn: 'T1', value: 19.9, currency: 'EUR', page_type: 'product' });
    expect(row.id).toBe(ulidToBigInt(e.id));
    expect(JSON.parse(row.props).extra).toEqual({ a: 1 });
  });

  it.each([
    ['not an object', [], 'expected a JSON object'],
    ['wrong version', { v: 2, site: 's', events: [] }, 'v: expected 1'],
    ['site with spaces', { v: 1, site: 'my shop', events: [] }, 'site:'],
    ['events not an array', { v: 1, site: 's', events: {} }, 'events: expected an array'],
    ['sent_at a string', { v: 1, site: 's', sent_at: '1', events: [] }, 'sent_at:'],
    ['negative dropped', { v: 1, site: 's', dropped: -1, events: [] }, 'dropped:'],
  ])('rejects a batch: %s', (_, body, message) => {
    const r = checkBatch(body, now);
    expect(r.error).toContain(message);
  });

  it.each([
    ['id not a ULID', { id: 'not-a-ulid' }, 'events[0].id'],
    ['id over 128 bits', { id: '8ZZZZZZZZZZZZZZZZZZZZZZZZZ' }, 'events[0].id'],
    ['time as a string', { time: '1763799999000' }, 'events[0].time'],
    ['time NaN-like', { time: null }, 'events[0].time'],
    ['unknown stage', { stage: 'loyalty' }, 'events[0].stage'],
    ['empty visitor id', { visitor_id: '' }, 'events[0].visitor_id'],
    ['session id a number', { session_id: 7 }, 'events[0].session_id'],
    ['stage an inherited property name', { stage: 'toString' }, 'events[0].stage'],
    ['referrer too long', { referrer: 'x'.repeat(LIMITS.maxUrl + 1) }, 'events[0].referrer'],
    ['props an array', { props: [1] }, 'events[0].props'],
    ['type with spaces', { type: 'add to cart' }, 'events[0].type'],
    ['url too long', { url: 'x'.repeat(LIMITS.maxUrl + 1) }, 'events[0].url'],
    ['user_id a number', { user_id: 5 }, 'events[0].user_id'],
  ])('rejects an event: %s, naming the field', (_, over, message) => {
    const r = checkBatch(batch([event(over)]), now);
    expect(r.error).toContain(message);
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
    expect(rows.map((r) => [r.txn, r.vital, r.score, r.stage])).toEqual([[null, null, null, 0], ['7', null, null, 0], [null, 'LCP', null, 0], [null, null, 9, 0]]);
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
