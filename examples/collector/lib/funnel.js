// The journey funnel a shop owner can quote: per visitor, closed (GA4's), in order. The journey stages
// themselves are unchanged; this is how the report counts what visitors did.
import { STAGES } from './validate.js';
import { rate } from './ratio.js';

// The event types standing for each step (README, "Metric definitions").
const VIEWED = "type IN ('view_item', 'view_item_list', 'select_item')";
const ADVOCACY = "(type IN ('share', 'referral_share', 'write_review') OR (type = 'nps_response' AND score >= 9))";
/** The steps of the journey funnel, in order. */
export const STEPS = ['visited', 'viewed_products', 'added_to_cart', 'purchased', 'came_back', 'recommended'];

/**
 * Per session: when it began in the range, its last stage, its first product view, whether it carted, bought or
 * recommended in the range, its first purchase (before the range too) and last recommendation, and the times of
 * its carts and purchases (the steps whose order depends on the step before). Each as [kind, x]: `min` and `max`
 * of x, `last` x at the latest time, `list` the times of the events where x holds. `inRange` says an event is
 * in the range, N is `never`.
 * @param {string} inRange @param {string} N
 * @returns {Record<string, ['min' | 'max' | 'last' | 'list', string]>}
 */
export const SESSION_FACTS = (inRange, N) => {
  const flag = (/** @type {string} */ cond) => /** @type {['max', string]} */ (['max', `CASE WHEN ${cond} THEN 1 ELSE 0 END`]);
  return {
    started: ['min', `CASE WHEN ${inRange} THEN time ELSE ${N} END`],
    last_at: ['max', 'time'],
    last_stage: ['last', 'stage'],
    viewed_at: ['min', `CASE WHEN ${inRange} AND ${VIEWED} THEN time ELSE ${N} END`],
    carted_s: flag(`${inRange} AND type = 'add_to_cart'`),
    bought_s: flag(`${inRange} AND type = 'purchase'`),
    shared_s: flag(`${inRange} AND ${ADVOCACY}`),
    shared_at: ['max', `CASE WHEN ${inRange} AND ${ADVOCACY} THEN time ELSE 0 END`],
    first_buy_s: ['min', `CASE WHEN type = 'purchase' THEN time ELSE ${N} END`],
    carts: ['list', `${inRange} AND type = 'add_to_cart'`],
    buys: ['list', `${inRange} AND type = 'purchase'`],
  };
};

/**
 * SESSION_FACTS as aggregates over events, `x AS name`.
 * @param {Pick<import('./metrics.js').Dialect, 'lastBy' | 'listIf'>} d @param {string} inRange @param {string} N
 */
export const sessionFacts = (d, inRange, N) =>
  Object.entries(SESSION_FACTS(inRange, N))
    .map(
      ([name, [kind, x]]) =>
        `${kind === 'last' ? d.lastBy(x, 'time') : kind === 'list' ? d.listIf('time', x) : `${kind}(${x})`} AS ${name}`,
    )
    .join(', ');

/**
 * A visitor counts at a step once they reached every step before it, in order, in the range: their first product
 * view; then an add_to_cart; then a purchase; then a session begun after that purchase; then an advocacy event.
 * Beside each step, how many reached it at all (`<step>_any`): those not in the step entered past the steps
 * before it. "Came back" also counts a purchase before the range, and advocates are split by whether they
 * ever bought (up to the end of the range). Also each visitor's stage at the end of the range (`now_0`..`now_4`).
 * Every condition is a min or max of times, which a repeated event cannot change: the events are read as
 * they are (`scan`), and an engine's rollups of SESSION_FACTS are built from every copy too. Whether a step was reached
 * at all, and "recommended" (a recommendation at or after the return), need no list: a max against a min.
 * @param {import('./metrics.js').FullDialect} d @param {string} site @param {string} from @param {string} to
 */
export const funnelSql = (d, site, from, to) => {
  const N = d.never;
  const ff = d.firstFrom;
  const inRange = `time >= ${from}`;
  // An engine's visitor key: the range's visitors counted by it too (Dialect.visitorKey).
  const key = d.visitorKey;
  // One row per (visitor, session): from the events, or from an engine's rollups of them.
  const sessions =
    d.journey?.() ??
    `SELECT visitor_id AS vis, ${sessionFacts(d, inRange, N)}
    FROM ${d.scan(`site = ${site} AND time < ${to} AND (${inRange} OR type = 'purchase')`)} GROUP BY visitor_id, session_id`;
  const visitors = `SELECT min(started) AS t0, min(viewed_at) AS t1, ${d.concat('carts')} AS all_carts, ${d.concat('buys')} AS all_buys,
      ${d.listIf('started', `started < ${N}`)} AS starts, max(CASE WHEN started < ${N} THEN started ELSE 0 END) AS last_start,
      max(carted_s) AS carted, max(bought_s) AS bought, max(shared_s) AS shared, max(shared_at) AS last_share,
      min(first_buy_s) AS first_buy, ${d.lastBy('last_stage', 'last_at')} AS now_stage${key ? `, ${key('vis')} AS vk` : ''}
    FROM (${sessions}) GROUP BY vis`;
  // Each step's first time in order (`never` if not reached), one level at a time so each is computed once: the
  // first cart at or after the first view, the first purchase at or after it, the first session begun after it.
  const keep = `${key ? 'vk, ' : ''}t0, t1, now_stage, carted, bought, shared, last_share, first_buy, last_start`;
  const t2 = `SELECT ${keep}, all_buys, starts, ${ff('all_carts', 't1')} AS t2 FROM (${visitors}) WHERE t0 < ${N}`;
  const t3 = `SELECT ${keep}, starts, t2, ${ff('all_buys', 't2')} AS t3 FROM (${t2})`;
  const t4 = `SELECT ${keep}, t2, t3, ${ff('starts', 't3 + 1')} AS t4 FROM (${t3})`;
  const c = d.countIf;
  return `SELECT count(*) AS visited, ${c(`t1 < ${N}`)} AS viewed_products, ${c(`t2 < ${N}`)} AS added_to_cart,
      ${c(`t3 < ${N}`)} AS purchased, ${c(`t4 < ${N}`)} AS came_back, ${c(`t4 < ${N} AND last_share >= t4`)} AS recommended,
      ${c(`t1 < ${N}`)} AS viewed_products_any, ${c('carted = 1')} AS added_to_cart_any, ${c('bought = 1')} AS purchased_any,
      ${c(`first_buy < ${N} AND last_start > first_buy`)} AS came_back_any, ${c(`shared = 1 AND first_buy < ${N}`)} AS recommended_any,
      ${c(`shared = 1 AND first_buy = ${N}`)} AS advocates_without_purchase,
      ${STAGES.map((_, i) => `${c(`now_stage = ${i}`)} AS now_${i}`).join(', ')}${key ? ', count(DISTINCT vk) AS visited_keys' : ''}
    FROM (${t4})`;
};

/**
 * The funnel's part of the report from funnelSql's row.
 * @param {Record<string, number | null>} row
 */
export const funnelReport = (row) => {
  // DuckDB's count_if over no rows is NULL.
  const j = /** @type {Record<string, number>} */ (Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v ?? 0])));
  return {
    funnel: STEPS.map((step, i) => ({
      step,
      visitors: j[step],
      // Reached this step without every step before it, in order: shown beside it, not in it.
      entrants: i ? j[`${step}_any`] - j[step] : 0,
      of_previous: i ? rate(j[step], j[STEPS[i - 1]]) : null,
    })),
    advocates_without_purchase: j.advocates_without_purchase,
    stages_now: STAGES.map((stage, i) => ({ stage, visitors: j[`now_${i}`] })),
  };
};
