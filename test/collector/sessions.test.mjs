import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkBatch } from '../../examples/collector/lib/validate.js';
import { buildReport } from '../../examples/collector/lib/metrics.js';
import { describeEngine, engines, event, tempStorage } from './helpers.mjs';

// Two session definitions that a browsed journey exposed, on a hand-made data set:
// - a session's referral code comes from its page views, not from a `referral_share` carrying the sharer's code;
// - a session named by a `cart_abandoned` has ended, even if it was idle for less than the session timeout.
const NOW = Date.UTC(2026, 0, 20, 12);
const T = NOW - 20 * 60_000; // 20 minutes ago: within the 30-minute timeout
const U = 'https://shop.example';
const e = (visitor, session, s, type, props = {}) =>
  event({ visitor_id: visitor, session_id: session, time: T + s * 1000, type, stage: 'awareness', props, url: `${U}/` });

const events = [
  // V arrived through ALEX10 and left a cart; the next session (10 minutes later) sent cart_abandoned for v1.
  e('V', 'v1', 0, 'page_view', { ref: 'ALEX10' }),
  e('V', 'v1', 1, 'add_to_cart', { value: 20, currency: 'EUR' }),
  e('V', 'v1', 600, 'cart_abandoned', { value: 20, currency: 'EUR' }),
  e('V', 'v2', 601, 'page_view', {}),
  // S arrived directly and shared their own code: S did not arrive through it.
  e('S', 's1', 10, 'page_view', {}),
  e('S', 's1', 11, 'referral_share', { method: 'copy', ref: 'ALEX10' }),
];

const suite = (engine) => {
  let ctx;
  let report;
  beforeAll(async () => {
    ctx = await tempStorage(engine);
    await ctx.storage.insert(checkBatch({ v: 1, site: 'shop', events }, NOW).rows);
    report = await buildReport(ctx.storage, { site: 'shop', from: NOW - 86_400_000, to: NOW + 86_400_000, now: NOW });
  });
  afterAll(() => ctx?.done());

  it('credits a referral code only to sessions that arrived through it', () => {
    expect(report.referrals).toEqual([expect.objectContaining({ name: 'ALEX10', sessions: 1, converted: 0 })]);
  });

  it('counts a cart the tracker reported abandoned although its session ended less than 30 minutes ago', () => {
    expect(report.cart_abandonment).toEqual({ carted: 1, abandoned: 1, rate: 1 });
  });
};

for (const engine of await engines()) describeEngine(engine, 'session definitions', () => suite(engine));
