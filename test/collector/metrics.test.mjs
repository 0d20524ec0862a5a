import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkBatch } from '../../examples/collector/lib/validate.js';
import { buildReport } from '../../examples/collector/lib/metrics.js';
import { parseRange } from '../../examples/collector/lib/range.js';
import { describeEngine, engines, event, tempStorage } from './helpers.mjs';

// A hand-computed data set: five visitors, six sessions in January 2026 (the numbers each
// test expects are worked out in its comment), plus one purchase before the range.
const T = Date.UTC(2026, 0, 10, 12);
const NOW = Date.UTC(2026, 0, 20, 12);
const FROM = Date.UTC(2026, 0, 1);
const TO = Date.UTC(2026, 1, 1);
const min = 60_000;
const U = 'https://shop.example';

const e = (visitor, session, minute, type, stage, props = {}, over = {}) =>
  event({ visitor_id: visitor, session_id: session, time: T + minute * min, type, stage, props, url: `${U}/`, ...over });

const events = [
  // A: purchased 100 EUR in December (outside the range, counts for lifetime value only).
  e('A', 'a0', -60 * 24 * 30, 'purchase', 'conversion', { transaction_id: 'T0', value: 100, currency: 'EUR' }),
  // A, session a1: search, referral code FRIEND, two pages, buys 50 EUR.
  e('A', 'a1', 0, 'page_view', 'awareness', { utm_medium: 'organic', ref: 'FRIEND' }),
  e('A', 'a1', 1, 'view_item', 'consideration'),
  e('A', 'a1', 2, 'page_view', 'consideration', {}, { url: `${U}/products/shirt` }),
  e('A', 'a1', 3, 'add_to_cart', 'conversion', { value: 50, currency: 'EUR' }),
  e('A', 'a1', 4, 'purchase', 'conversion', { transaction_id: 'T1', value: 50, currency: 'EUR' }),
  e('A', 'a1', 5, 'page_leave', 'conversion', { engaged_ms: 10_000 }, { url: `${U}/products/shirt` }),
  // B, session b1: direct, one page (a bounce), NPS 9 moves B to advocacy.
  e('B', 'b1', 10, 'page_view', 'awareness'),
  e('B', 'b1', 11, 'nps_response', 'advocacy', { score: 9 }),
  e('B', 'b1', 12, 'page_leave', 'advocacy', { engaged_ms: 4000 }),
  // C, session c1: social campaign "spring", two pages, a cart, leaves: abandoned.
  e('C', 'c1', 20, 'page_view', 'awareness', { utm_medium: 'social', utm_campaign: 'spring' }),
  e('C', 'c1', 21, 'page_view', 'consideration', {}, { url: `${U}/products/tote` }),
  e('C', 'c1', 22, 'add_to_cart', 'conversion', { value: 20, currency: 'USD' }),
  e('C', 'c1', 23, 'page_leave', 'conversion', { engaged_ms: 6000 }),
  // C, session c2 a day later: the tracker's cart_abandoned names c1; C signs in and buys twice
  // in USD, the first order reported twice (two ids, one transaction_id).
  e('C', 'c1', 1440, 'cart_abandoned', 'conversion', { value: 20, currency: 'USD' }),
  e('C', 'c2', 1441, 'page_view', 'awareness', {}),
  e('C', 'c2', 1442, 'page_view', 'conversion', {}, { url: `${U}/checkout` }),
  e('C', 'c2', 1443, 'purchase', 'conversion', { transaction_id: 'T2', value: 20, currency: 'USD' }, { user_id: 'u-c' }),
  e('C', 'c2', 1444, 'purchase', 'conversion', { transaction_id: 'T2', value: 20, currency: 'USD' }, { user_id: 'u-c' }),
  e('C', 'c2', 1445, 'purchase', 'conversion', { transaction_id: 'T3', value: 10, currency: 'USD' }, { user_id: 'u-c' }),
  // D, session d1: e-mail, one page, NPS 10 then 3: the latest answer (3) counts.
  e('D', 'd1', 30, 'page_view', 'awareness', { utm_medium: 'email' }),
  e('D', 'd1', 31, 'nps_response', 'advocacy', { score: 10 }),
  e('D', 'd1', 32, 'nps_response', 'advocacy', { score: 3 }),
  e('D', 'd1', 33, 'web_vital', 'advocacy', { name: 'INP', value: 200 }),
  // Web vitals in awareness: LCP 1000..4000 (p75 interpolated: 3250).
  ...[1000, 2000, 3000, 4000].map((v, i) => e('D', 'd1', 34 + i, 'web_vital', 'awareness', { name: 'LCP', value: v })),
];
// E: a session still open at NOW (5 minutes ago) with a cart: neither abandoned nor carted yet.
events.push(
  event({ visitor_id: 'E', session_id: 'e1', time: NOW - 6 * min, type: 'page_view', stage: 'awareness', url: `${U}/` }),
  event({
    visitor_id: 'E',
    session_id: 'e1',
    time: NOW - 5 * min,
    type: 'add_to_cart',
    stage: 'conversion',
    props: { value: 5, currency: 'EUR' },
  }),
  event({
    visitor_id: 'E',
    session_id: 'e1',
    time: NOW - 4 * min,
    type: 'nps_response',
    stage: 'conversion',
    props: { score: 7 },
  }),
);

// A second site for the journey funnel's edge cases, one visitor each.
const day = 24 * 60;
const trail = [
  // F lands and buys at once (a direct checkout link): a purchase without the steps before it.
  e('F', 'f1', 0, 'page_view', 'awareness'),
  e('F', 'f1', 1, 'purchase', 'conversion', { transaction_id: 'F1', value: 30, currency: 'EUR' }),
  // G goes every step in order, and comes back a day later to share.
  e('G', 'g1', 0, 'page_view', 'awareness'),
  e('G', 'g1', 1, 'view_item', 'consideration'),
  e('G', 'g1', 2, 'add_to_cart', 'conversion'),
  e('G', 'g1', 3, 'purchase', 'conversion', { transaction_id: 'G1', value: 40, currency: 'EUR' }),
  e('G', 'g2', day, 'page_view', 'retention'),
  e('G', 'g2', day + 1, 'share', 'advocacy'),
  // H views a product and shares it, never buys: never "came back after buying".
  e('H', 'h1', 0, 'page_view', 'awareness'),
  e('H', 'h1', 1, 'view_item', 'consideration'),
  e('H', 'h1', 2, 'share', 'advocacy'),
  // K bought in December; returns in the range and writes a review.
  e('K', 'k0', -30 * day, 'purchase', 'conversion', { transaction_id: 'K0', value: 10, currency: 'EUR' }),
  e('K', 'k1', 0, 'page_view', 'retention'),
  e('K', 'k1', 1, 'write_review', 'advocacy'),
  // L adds to the cart before viewing a product (a cart link), then views it: carted, but out of order.
  e('L', 'l1', 10, 'add_to_cart', 'conversion'),
  e('L', 'l1', 11, 'view_item', 'consideration'),
];

// A third site for products and checkout steps: items in two currencies, one order sent twice.
const shirt = (quantity = 1, price = 20) => ({ item_id: 'shirt', item_name: 'Shirt', price, quantity });
const tote = (price = 5) => ({ item_id: 'tote', item_name: 'Tote', price, quantity: 1 });
const goods = [
  // p1 (EUR): every checkout step in order; the order P1 (two shirts, a tote) sent twice.
  e('P', 'p1', 0, 'view_item', 'consideration', { items: [shirt()] }),
  e('P', 'p1', 1, 'add_to_cart', 'conversion', { items: [shirt(2)] }),
  e('P', 'p1', 2, 'begin_checkout', 'conversion'),
  e('P', 'p1', 3, 'add_shipping_info', 'conversion'),
  e('P', 'p1', 4, 'add_payment_info', 'conversion'),
  e('P', 'p1', 5, 'purchase', 'conversion', { transaction_id: 'P1', currency: 'EUR', value: 45, items: [shirt(2), tote()] }),
  e('P', 'p1', 6, 'purchase', 'conversion', { transaction_id: 'P1', currency: 'EUR', value: 45, items: [shirt(2), tote()] }),
  // p2 (USD): views both, carts and buys the tote without the checkout steps in between.
  e('Q', 'p2', 0, 'view_item', 'consideration', { items: [shirt()] }),
  e('Q', 'p2', 1, 'view_item', 'consideration', { items: [tote(6)] }),
  e('Q', 'p2', 2, 'add_to_cart', 'conversion', { items: [tote(6)] }),
  e('Q', 'p2', 3, 'purchase', 'conversion', { transaction_id: 'P2', currency: 'USD', value: 6, items: [tote(6)] }),
  // p3: a cart link first, then the product page.
  e('R', 'p3', 0, 'add_to_cart', 'conversion', { items: [shirt()] }),
  e('R', 'p3', 1, 'view_item', 'consideration', { items: [shirt()] }),
  // Stage changes (one naming no stage), and each session's first LCP: p1 3,000 ms (needs improvement; a later
  // 1,000 does not count), p2 5,000 (poor), p3 2,000 (good).
  e('P', 'p1', -1, 'stage_change', 'consideration', { from: 'awareness', to: 'consideration' }),
  e('P', 'p1', 0.9, 'stage_change', 'conversion', { from: 'consideration', to: 'conversion' }),
  e('Q', 'p2', -1, 'stage_change', 'consideration', { from: 'awareness', to: 'consideration' }),
  e('Q', 'p2', -0.5, 'stage_change', 'consideration', { from: 'lost', to: 'consideration' }),
  e('P', 'p1', 0.5, 'web_vital', 'consideration', { name: 'LCP', value: 3000 }),
  e('P', 'p1', 0.7, 'web_vital', 'consideration', { name: 'LCP', value: 1000 }),
  e('Q', 'p2', 0.5, 'web_vital', 'consideration', { name: 'LCP', value: 5000 }),
  e('R', 'p3', 0.5, 'web_vital', 'conversion', { name: 'LCP', value: 2000 }),
];

const suite = (engine) => {
  let ctx;
  let report;
  let trailReport;
  beforeAll(async () => {
    ctx = await tempStorage(engine);
    const rows = checkBatch({ v: 1, site: 'shop', events }, NOW).rows;
    await ctx.storage.insert(rows);
    // Repeated ids, in a second write as a retried batch would be: the report counts each once.
    await ctx.storage.insert(rows);
    expect(await ctx.storage.count()).toBe(events.length);
    // ClickHouse's rollups, built before the report: every day of the data set is read from them.
    if (engine.compact)
      expect(await ctx.storage.compact('shop')).toBe(new Set(rows.map((r) => Math.floor(r.time / 86_400_000))).size);
    report = await buildReport(ctx.storage, { site: 'shop', from: FROM, to: TO, now: NOW });
    await ctx.storage.insert(checkBatch({ v: 1, site: 'trail', events: trail }, NOW).rows);
    if (engine.compact) await ctx.storage.compact('trail');
    trailReport = await buildReport(ctx.storage, { site: 'trail', from: FROM, to: TO, now: NOW });
    // Sent twice, as a retried batch would be.
    const goodsRows = checkBatch({ v: 1, site: 'goods', events: goods }, NOW).rows;
    await ctx.storage.insert(goodsRows);
    await ctx.storage.insert(goodsRows);
  });
  afterAll(() => ctx?.done());

  it('counts each stored event once, whatever is sent twice', () => {
    // Everything but the December purchase is in the range.
    expect(report.totals).toEqual({ events: events.length - 1, page_views: 9, visitors: 5, sessions: 6 });
  });

  it('journey funnel: closed, in order, with who entered past the first steps beside each step', () => {
    // Visited: all five. Viewed products (a view_item): A only (C's product page carried no view event).
    // A then carted and bought in order; C and E carted without viewing, C bought. A came back after its
    // December purchase (an entrant there: its purchase in the range was its last session's). B and D answered
    // NPS 9 and 10 without ever buying: advocates on their own line, never in the funnel.
    expect(report.funnel).toEqual([
      { step: 'visited', visitors: 5, entrants: 0, of_previous: null },
      { step: 'viewed_products', visitors: 1, entrants: 0, of_previous: 1 / 5 },
      { step: 'added_to_cart', visitors: 1, entrants: 2, of_previous: 1 },
      { step: 'purchased', visitors: 1, entrants: 1, of_previous: 1 },
      { step: 'came_back', visitors: 0, entrants: 1, of_previous: 0 },
      { step: 'recommended', visitors: 0, entrants: 0, of_previous: null },
    ]);
    expect(report.advocates_without_purchase).toBe(2);
    // The purchase step and its entrants are the purchasing visitors beside the conversion rate.
    expect(report.conversion.purchasers).toBe(2);
  });

  it('journey funnel: a landing-to-purchase buyer, a return after buying, a sharer who never bought', () => {
    // Visited F G H K L; viewed G H L; carted in order G (L carted before viewing: beside the step); bought in
    // order G (F beside); came back after buying G (K beside: its purchase was before the range); recommended
    // G (K beside: a customer); H shared without buying.
    expect(trailReport.funnel.map((f) => [f.step, f.visitors, f.entrants])).toEqual([
      ['visited', 5, 0],
      ['viewed_products', 3, 0],
      ['added_to_cart', 1, 1],
      ['purchased', 1, 1],
      ['came_back', 1, 1],
      ['recommended', 1, 1],
    ]);
    expect(trailReport.advocates_without_purchase).toBe(1);
    expect(trailReport.conversion.purchasers).toBe(2);
    // L ends considering; F converting; G, H and K in advocacy.
    expect(trailReport.stages_now.map((x) => x.visitors)).toEqual([0, 1, 1, 0, 3]);
  });

  it('where visitors are now: the stage of each visitor’s last event in the range', () => {
    // D's last event is an awareness web vital; A, C and E end in conversion; B in advocacy.
    expect(report.stages_now.map((x) => x.visitors)).toEqual([1, 0, 3, 0, 1]);
  });

  it('conversion rate: sessions with a purchase over sessions with a page view', () => {
    // a1 and c2 of a1, b1, c1, c2, d1, e1.
    expect(report.conversion).toEqual({ sessions: 6, converted: 2, rate: 2 / 6, purchasers: 2 });
  });

  it('cart abandonment: ended carted sessions without a purchase; open sessions wait', () => {
    // Carted: a1 (bought), c1 (ended, no purchase); e1 is still open.
    expect(report.cart_abandonment).toEqual({ carted: 2, abandoned: 1, rate: 0.5 });
  });

  it('bounce rate: sessions with exactly one page view', () => {
    // b1, d1, e1.
    expect(report.bounce).toEqual({ sessions: 6, bounced: 3, rate: 0.5 });
  });

  it('revenue per currency, each transaction_id once, never summed across currencies', () => {
    expect(report.revenue).toEqual([
      { currency: 'EUR', orders: 1, revenue: 50, aov: 50 },
      { currency: 'USD', orders: 2, revenue: 30, aov: 15 },
    ]);
  });

  it('lifetime value includes purchases before the range, per customer (user id first)', () => {
    expect(report.clv).toEqual([
      { currency: 'EUR', customers: 1, revenue: 150, repeat_customers: 1, clv: 150, repeat_rate: 1 },
      { currency: 'USD', customers: 1, revenue: 30, repeat_customers: 1, clv: 30, repeat_rate: 1 },
    ]);
  });

  it("NPS: each visitor's latest answer; promoters minus detractors", () => {
    // B 9 (promoter), D 3 (detractor, its 10 replaced), E 7 (passive): (1 - 1) / 3.
    expect(report.nps).toEqual({ responses: 3, promoters: 1, detractors: 1, score: 0 });
  });

  it('sources, campaigns and referral codes from the first page view, with conversion', () => {
    expect(report.sources).toEqual([
      { name: 'direct', sessions: 3, converted: 1, rate: 1 / 3 },
      { name: 'email', sessions: 1, converted: 0, rate: 0 },
      { name: 'search', sessions: 1, converted: 1, rate: 1 },
      { name: 'social', sessions: 1, converted: 0, rate: 0 },
    ]);
    expect(report.campaigns).toEqual([{ name: 'spring', sessions: 1, converted: 0, rate: 0 }]);
    expect(report.referrals).toEqual([{ name: 'FRIEND', sessions: 1, converted: 1, rate: 1 }]);
  });

  it('engaged time: median of page_leave engaged_ms by page type', () => {
    expect(report.engaged).toEqual([
      { page_type: 'home', pages: 2, median_ms: 5000, mean_ms: 5000 },
      { page_type: 'product', pages: 1, median_ms: 10_000, mean_ms: 10_000 },
    ]);
  });

  it('web vitals: p75 per metric and stage, with its rating', () => {
    expect(report.vitals).toEqual([
      // Google's rating of the p75: INP good up to 200 ms; LCP needs improvement from 2,500 to 4,000 ms.
      { name: 'INP', stage: 'advocacy', p75: 200, samples: 1, rating: 'good' },
      { name: 'LCP', stage: 'awareness', p75: 3250, samples: 4, rating: 'needs improvement' },
    ]);
  });

  it('the previous period: the same number of days just before, with its headline figures', async () => {
    // Jan 11-20 against Jan 1-10. Now: C's second session (its cart_abandoned names c1, which has no page view
    // here) and E. Before: A, B, C, D, one session each; A's 50 EUR; NPS B 9 and D 3.
    const r = await buildReport(ctx.storage, { site: 'shop', from: Date.UTC(2026, 0, 11), to: Date.UTC(2026, 0, 21), now: NOW });
    expect([r.from, r.to, r.days]).toEqual(['2026-01-11', '2026-01-20', 10]);
    expect([r.totals.visitors, r.totals.sessions]).toEqual([2, 2]);
    expect(r.previous.from).toBe('2026-01-01');
    expect(r.previous.to).toBe('2026-01-10');
    expect(r.previous.totals).toEqual({ events: 21, page_views: 6, visitors: 4, sessions: 4 });
    expect(r.previous.conversion).toEqual({ sessions: 4, converted: 1, rate: 1 / 4 });
    expect(r.previous.revenue).toEqual([{ currency: 'EUR', orders: 1, revenue: 50, aov: 50 }]);
    expect(r.previous.nps).toEqual({ responses: 2, promoters: 1, detractors: 1, score: 0 });
  });

  it('over time by day: visitors per day, sessions on the day they began, orders and revenue per currency', () => {
    const t = report.timeline;
    expect(t.unit).toBe('day');
    expect(t.currencies).toEqual(['EUR', 'USD']);
    expect(t.rows).toHaveLength(31);
    const at = (d) => t.rows.find((x) => x.at === d);
    expect(at('2026-01-10')).toEqual({ at: '2026-01-10', visitors: 4, sessions: 4, orders: 1, revenue: { EUR: 50 } });
    // C's cart_abandoned (for c1) and second session; the order reported twice counts once.
    expect(at('2026-01-11')).toEqual({ at: '2026-01-11', visitors: 1, sessions: 1, orders: 2, revenue: { USD: 30 } });
    expect(at('2026-01-20')).toEqual({ at: '2026-01-20', visitors: 1, sessions: 1, orders: 0, revenue: {} });
    expect(t.rows.reduce((n, x) => n + x.sessions, 0)).toBe(report.totals.sessions);
  });

  it('over time by hour for a range of two days or less', async () => {
    const r = await buildReport(ctx.storage, { site: 'shop', from: Date.UTC(2026, 0, 10), to: Date.UTC(2026, 0, 11), now: NOW });
    expect(r.timeline.unit).toBe('hour');
    expect(r.timeline.rows).toHaveLength(24);
    expect(r.timeline.rows[12]).toEqual({ at: '2026-01-10 12:00', visitors: 4, sessions: 4, orders: 1, revenue: { EUR: 50 } });
    expect(r.timeline.rows.reduce((n, x) => n + x.visitors, 0)).toBe(4);
  });

  it("time-zone day boundaries: a day of the site's zone, not UTC's", async () => {
    // Kiritimati is UTC+14: the trail's events at 12:00 UTC on Jan 10 are at 02:00 on Jan 11 there, and G's
    // second session (12:00 UTC on Jan 11) falls on Jan 12.
    const range = parseRange('2026-01-11', '2026-01-11', NOW, 'Pacific/Kiritimati');
    const r = await buildReport(ctx.storage, { site: 'trail', ...range, tz: 'Pacific/Kiritimati', now: NOW });
    expect([r.from, r.to, r.tz]).toEqual(['2026-01-11', '2026-01-11', 'Pacific/Kiritimati']);
    expect(r.funnel.map((f) => f.visitors)).toEqual([5, 3, 1, 1, 0, 0]);
    expect(r.timeline.rows).toHaveLength(24);
    expect(r.timeline.rows[2]).toEqual({ at: '2026-01-11 02:00', visitors: 5, sessions: 4, orders: 2, revenue: { EUR: 70 } });
    // The same day in UTC holds only G's second session.
    const utc = await buildReport(ctx.storage, {
      site: 'trail',
      from: Date.UTC(2026, 0, 11),
      to: Date.UTC(2026, 0, 12),
      now: NOW,
    });
    expect([utc.totals.visitors, utc.totals.sessions]).toEqual([1, 1]);
  });

  it('products: views, adds to cart, purchases (each order once), quantity and revenue per currency', async () => {
    const r = await buildReport(ctx.storage, { site: 'goods', from: FROM, to: TO, now: NOW });
    expect(r.products).toEqual([
      {
        item_id: 'tote',
        name: 'Tote',
        views: 1,
        carts: 1,
        purchases: 2,
        quantity: 2,
        revenue: [
          { currency: 'EUR', revenue: 5 },
          { currency: 'USD', revenue: 6 },
        ],
        view_to_purchase: 2,
      },
      {
        item_id: 'shirt',
        name: 'Shirt',
        views: 3,
        carts: 2,
        purchases: 1,
        quantity: 2,
        revenue: [{ currency: 'EUR', revenue: 40 }],
        view_to_purchase: 1 / 3,
      },
    ]);
  });

  it('checkout steps by session, in order, with sessions that skipped steps beside', async () => {
    // p1 every step; p2 item and cart, then a purchase without checkout (beside purchase); p3 carted before viewing.
    const r = await buildReport(ctx.storage, { site: 'goods', from: FROM, to: TO, now: NOW });
    expect(r.checkout).toEqual([
      { step: 'item', sessions: 3, entrants: 0, of_previous: null },
      { step: 'cart', sessions: 2, entrants: 1, of_previous: 2 / 3 },
      { step: 'checkout', sessions: 1, entrants: 0, of_previous: 1 / 2 },
      { step: 'shipping', sessions: 1, entrants: 0, of_previous: 1 },
      { step: 'payment', sessions: 1, entrants: 0, of_previous: 1 },
      { step: 'purchase', sessions: 1, entrants: 1, of_previous: 1 },
    ]);
  });

  it('stage transitions: each stage_change once, by from and to stage', async () => {
    const r = await buildReport(ctx.storage, { site: 'goods', from: FROM, to: TO, now: NOW });
    expect(r.transitions).toEqual([
      { from: 'awareness', to: 'consideration', count: 2 },
      { from: 'consideration', to: 'conversion', count: 1 },
    ]);
  });

  it('time to first purchase: median days and sessions from the first visit, first purchases in the range only', async () => {
    // Shop: C's first event (c1, minute 20) to its first purchase (c2, minute 1443), two sessions; A's first
    // purchase was in December. Goods: P 6 minutes (from its stage_change at -1 to minute 5), Q 4, one session each.
    expect(report.first_purchase).toEqual({ buyers: 1, median_days: 1423 / 1440, median_sessions: 2 });
    const r = await buildReport(ctx.storage, { site: 'goods', from: FROM, to: TO, now: NOW });
    expect(r.first_purchase).toEqual({ buyers: 2, median_days: 5 / 1440, median_sessions: 1 });
  });

  it('conversion of sessions by the rating of their first LCP, per stage', async () => {
    const r = await buildReport(ctx.storage, { site: 'goods', from: FROM, to: TO, now: NOW });
    expect(r.lcp_conversion).toEqual([
      { stage: 'consideration', rating: 'needs improvement', sessions: 1, converted: 1, rate: 1 },
      { stage: 'consideration', rating: 'poor', sessions: 1, converted: 1, rate: 1 },
      { stage: 'conversion', rating: 'good', sessions: 1, converted: 0, rate: 0 },
    ]);
    // D's session: its first LCP (1,000 ms, awareness), no purchase.
    expect(report.lcp_conversion).toEqual([{ stage: 'awareness', rating: 'good', sessions: 1, converted: 0, rate: 0 }]);
  });

  it('a site or range with no events gives zeros and empty rates, not errors', async () => {
    const empty = await buildReport(ctx.storage, { site: 'nobody', from: FROM, to: TO, now: NOW });
    expect(empty.funnel.every((f) => f.visitors === 0 && f.entrants === 0)).toBe(true);
    expect(empty.conversion.rate).toBeNull();
    expect(empty.cart_abandonment.rate).toBeNull();
    expect(empty.nps).toEqual({ responses: 0, promoters: 0, detractors: 0, score: null });
    expect(empty.revenue).toEqual([]);
    expect(empty.products).toEqual([]);
    expect(empty.transitions).toEqual([]);
    expect(empty.first_purchase).toEqual({ buyers: 0, median_days: null, median_sessions: null });
    expect(empty.lcp_conversion).toEqual([]);
    expect(empty.checkout.every((c) => c.sessions === 0 && c.entrants === 0)).toBe(true);
  });

  it('erasure removes every event of one visitor', async () => {
    expect(await ctx.storage.erase('shop', 'D')).toBe(8);
    const after = await buildReport(ctx.storage, { site: 'shop', from: FROM, to: TO, now: NOW });
    expect(after.totals.visitors).toBe(4);
    expect(after.nps.responses).toBe(2);
  });
};

// ClickHouse three times: from the events (the rollups of a day not built yet), from the rollups, and through FINAL.
for (const engine of await engines()) {
  describeEngine(engine, 'journey report metrics', () => suite(engine));
  if (engine.name !== 'clickhouse') continue;
  describeEngine(engine, 'journey report metrics (rollups built)', () => suite({ ...engine, compact: true }));
  describeEngine(engine, 'journey report metrics (dedupe=final)', () => suite({ ...engine, dedupe: 'final' }));
}
