import { STAGES } from './validate.js';
import { DAY, HOUR, localDate, offsets, previousRange } from './range.js';
import { shift, timeline, timelineSql } from './timeline.js';
import { funnelReport, funnelSql } from './funnel.js';
import { checkoutSql, checkoutTable, productSql, productTable } from './commerce.js';
import { movementSql } from './movement.js';
import { rate } from './ratio.js';
import { rateVital } from './report-format.js';
import { breakdownSql, breakdownTables } from './breakdowns.js';
import { filterParams, filterSessions, filterSql, filtered } from './filters.js';

/**
 * The SQL that differs between engines. Everything else below is written once, in SQL both
 * DuckDB and ClickHouse 18.16 accept: no positional GROUP BY, and no alias named like a column
 * it aggregates (ClickHouse resolves aliases first and would see a cycle).
 * @typedef {object} Dialect
 * @property {(name: string) => string} param           a named query parameter
 * @property {(where: string) => string} from           the events table filtered by `where`, each event id once
 * @property {(cond: string) => string} countIf
 * @property {(x: string, t: string) => string} firstBy  x of the earliest row where x is not null
 * @property {(x: string, t: string) => string} lastBy   x of the latest row
 * @property {(x: string, q: number) => string} quantile continuous (interpolated) quantile
 * @property {(x: string) => string} text
 * @property {string} never                              a time after every event's, typed like `time`
 * @property {(x: string, cond: string) => string} listIf in an aggregate: the values of x where cond, as a list
 * @property {(list: string) => string} concat           in an aggregate: the lists joined into one
 * @property {(list: string, x: string) => string} firstFrom the smallest element of list that is >= x, else `never`
 * @property {(a: string, b: string) => string} div      integer division
 * @property {(x: string) => string} lines               in a SELECT: one row per line of the text x
 * @property {(x: string, k: number) => string} field    the k-th (from 1) tab-separated field of x
 * @property {(values: string[]) => string} [tagged]   in a SELECT: one row per element of values (texts), each its index's
 *   digit followed by the value; without it, breakdowns join and split the values as lines
 * @property {(x: string) => string} num                 the text x as a number, 0 if it is not one
 * @property {(list: string, x: string) => string} countUpTo how many elements of list are <= x
 * @property {(name: string) => string} prop             a top-level text field of the event's props (a plain name)
 * An engine whose table may hold an event id more than once (ClickHouse, before merges) adds three
 * more, so that only the metrics that need it pay for dropping repeats; for an engine that stores
 * each id once (DuckDB) they default to its `from` and `countIf`:
 * @property {(where: string) => string} [scan]          the events filtered by `where`, repeats included
 * @property {(cond?: string) => string} [once]          in an aggregate over `scan`: the events (matching cond), each id once
 * @property {(columns: string, where: string, type: string) => string} [unique] the events of `type` matching `where`,
 *   each id once: `columns` and a weight `w`, how many events the row stands for (1, unless the engine keeps counts
 *   of equal rows, when `quantile` weighs too)
 * @property {(columns: string, from: (where: string) => string, where: string) => string} [orders]
 *   the events of `from(where)` as `columns` and `k`, the order each belongs to: its transaction_id, else its own id as text
 * @property {(kinds: (keyof typeof KINDS)[], where: string) => string} [typed]
 *   the events of these KINDS matching `where`, repeats included (as `scan`; an engine may keep them apart)
 * An engine that keeps its own copies of what the report reads (ClickHouse: daily rollups of finished days) says
 * where; by default everything is computed from the events table:
 * @property {() => string} [journey] the funnel's sessions (funnel.js): `vis` and the SESSION_FACTS of each (visitor, session)
 *   of the range, and of the visitors' purchases before it
 * @property {() => string} [checkout] the checkout steps' sessions of the range (commerce.js): per session `t_item`, the
 *   first view_item's time, and `l_<step>`, the times of each other step's events
 * @property {(visitors: string) => string} [visits] every session before `to` of these visitors (a SELECT of visitor_id):
 *   `vis`, `began` (its first event's time) and `bought` (its first purchase's, else `never`)
 * @property {(of: 'visitors' | 'sessions', range: string) => string} [daily] the timeline's rows by UTC day
 *   (`b`, the day's number, and `visitors` or `sessions` as timelineSql counts them)
 * @property {(type: string) => string} [table]         the table holding the events of this type (with the events' columns)
 * @property {(of: keyof typeof FACTS, range: string) => string} [facts]
 *   one row per session (or visitor) of the range: its key and its FACTS
 * @property {(totals: (facts: string, ended: string) => string, range: string) => string} [sessions]
 *   the sessions metric: `totals` (sessionTotals) over the range's sessions
 * @property {(range: string, of: 'visit' | 'buyer') => string} [dims] the breakdowns' sessions (breakdowns.js): `visit`, one
 *   row per visitor and session of the range with `vis`, `pv` (its page views, repeats included) and `d_<table>`, its
 *   DIMENSIONS; `buyer`, bd_orders as breakdownSql gives it
 * @property {() => string} [lcp] the range's sessions as `lcp` (the value of its first LCP sample, else NULL), `st` (that
 *   sample's stage) and `bought` (1 if it has a purchase)
 * @property {() => string} [changes] the range's stage changes as `from_stage`, `to_stage` (props.from and props.to) and
 *   `w`, how many events the row stands for, each id counted once
 * @property {(vis: string) => string} [visitorKey] a number standing for the visitor id `vis` in the breakdowns' distinct
 *   counts, far cheaper to count than the text; the funnel counts the range's visitors by it too (`visited_keys`), so
 *   buildReport knows whether it told them apart
 * @property {() => Promise<void>} [release] drop what the engine made for this report (Storage.prepare)
 */

/**
 * The kinds of events that metrics read on their own: far fewer than all events, so an engine may keep their rows
 * apart (ClickHouse's rollups). Each is a condition on the events' columns.
 */
export const KINDS = {
  purchase: "type = 'purchase'",
  nps_response: "type = 'nps_response'",
  view_item: "type = 'view_item'",
  add_to_cart: "type = 'add_to_cart'",
  begin_checkout: "type = 'begin_checkout'",
  add_shipping_info: "type = 'add_shipping_info'",
  add_payment_info: "type = 'add_payment_info'",
  stage_change: "type = 'stage_change'",
  lcp: "type = 'web_vital' AND vital = 'LCP'",
  // Every sample: a filtered report takes the medians and percentiles of its sessions' ones.
  web_vital: "type = 'web_vital'",
  page_leave: "type = 'page_leave'",
};
/**
 * @param {(keyof typeof KINDS)[]} kinds @returns {string} a condition: an event of one of them (kinds that are
 *   a type as one `type IN`, which DuckDB filters while it scans, where it does not for a chain of ORs)
 */
export const ofKinds = (kinds) => {
  const plain = (/** @type {keyof typeof KINDS} */ k) => KINDS[k] === `type = '${k}'`;
  const types = kinds.filter(plain).map((k) => `'${k}'`);
  return `(${[...(types.length ? [`type IN (${types.join(', ')})`] : []), ...kinds.filter((k) => !plain(k)).map((k) => `(${KINDS[k]})`)].join(' OR ')})`;
};

/**
 * What the report needs of each session and of each visitor: aggregates over its events in the range, as
 * [kind, expression]. `count` counts events (each id once; the expression, if any, is a condition on `type`),
 * `max` is the largest value of the expression, `first` its earliest non-null value (a text column that is never
 * ''). Written once: DuckDB computes them from the events, ClickHouse also keeps them rolled up by day.
 * @type {Record<'session' | 'visitor', { key: string, of: Record<string, ['count' | 'max' | 'first', string?]> }>}
 */
export const FACTS = {
  // Bounce: exactly one page_view. Converted: a purchase. Carted: add_to_cart, or a cart_abandoned naming it.
  // A session's source, campaign and ref are the first ones it carries (its first page_view).
  session: {
    key: 'session_id',
    of: {
      n: ['count'],
      pv: ['count', "type = 'page_view'"],
      bought: ['max', "type = 'purchase'"],
      in_cart: ['max', "type IN ('add_to_cart', 'cart_abandoned')"],
      told: ['max', "type = 'cart_abandoned'"],
      last_time: ['max', 'time'],
      src: ['first', 'source'],
      camp: ['first', 'campaign'],
      rf: ['first', 'ref'],
    },
  },
  // Each visitor's furthest stage in funnel order (events carry the stage after them).
  visitor: { key: 'visitor_id', of: { furthest: ['max', 'stage'] } },
};

/**
 * FACTS computed from the events: one row per session (or visitor) of `range`.
 * @param {Dialect & Required<Pick<Dialect, 'scan' | 'once'>>} d @param {keyof typeof FACTS} of @param {string} range
 */
export const factsOf = (d, of, range) => {
  const { key, of: facts } = FACTS[of];
  const agg = Object.entries(facts).map(
    ([name, [kind, x]]) =>
      `${kind === 'count' ? d.once(x) : kind === 'max' ? `max(${x})` : d.firstBy(/** @type {string} */ (x), 'time')} AS ${name}`,
  );
  return `SELECT ${key}, ${agg.join(', ')} FROM ${d.scan(range)} GROUP BY ${key}`;
};

/**
 * A dialect with every part the metrics call filled in (the engine's, else the default); the engine's own copies
 * (`journey`, `checkout`, `visits`, `daily`) stay optional.
 * @typedef {Dialect & Required<Pick<Dialect, 'scan' | 'once' | 'typed' | 'orders' | 'unique' | 'table' | 'facts' | 'sessions'>>} FullDialect
 */

/** @param {Dialect} d @returns {FullDialect} */
const defaults = (d) => {
  const scan = d.scan ?? d.from;
  const once = d.once ?? ((cond) => (cond ? d.countIf(cond) : 'count(*)'));
  /** @type {Required<Dialect>['facts']} */
  const facts = d.facts ?? ((of, range) => factsOf({ ...d, scan, once }, of, range));
  return {
    scan,
    once,
    typed: (kinds, where) => scan(`${where} AND ${ofKinds(kinds)}`),
    // Two passes, so that the id is read only where there is no transaction_id: on DuckDB reading the id column
    // at all costs more than the rest of a purchases query.
    orders: (columns, from, where) => `(SELECT txn AS k, ${columns} FROM ${from(`${where} AND txn IS NOT NULL`)}
      UNION ALL SELECT ${d.text('id')} AS k, ${columns} FROM ${from(`${where} AND txn IS NULL`)})`,
    unique: (columns, where) => `(SELECT ${columns}, 1 AS w FROM ${d.from(where)})`,
    table: () => 'events',
    facts,
    sessions: (totals, range) => totals(`(${facts('session', range)})`, d.param('ended')),
    ...d,
  };
};

/** A session with no event for this long has ended (the tracker's default timeout). */
export const SESSION_END_MS = 30 * 60_000;
export const VITALS = ['LCP', 'INP', 'CLS', 'FCP', 'TTFB'];
const TOP = 10;

/**
 * The session metrics of sessions given as rows of FACTS.session, by (source, campaign, ref), with the
 * range's events and page views (each session's, summed: an event belongs to one session). Every column is
 * a sum over the rows, so totals of disjoint sets of sessions add up (ClickHouse's rollups keep them per day).
 * Bounce: exactly one page_view. Converted: a purchase. Carted and abandoned only count sessions that have
 * ended: idle for the session timeout (last event before `ended`), or named by a `cart_abandoned` (the tracker
 * sends it once the visitor's next session started), or purchased.
 * @param {Pick<Dialect, 'countIf'>} d @param {string} facts a FROM @param {string} ended an expression: the time a session idle since has ended
 * @param {string} [by] a column of `facts` to group by as well
 */
export const sessionTotals = (
  d,
  facts,
  ended,
  by = '',
) => `SELECT ${by && `${by}, `}coalesce(src, 'direct') AS source, coalesce(camp, '') AS campaign, coalesce(rf, '') AS ref,
    ${d.countIf('pv > 0')} AS sessions,
    ${d.countIf('pv > 0 AND bought')} AS converted,
    ${d.countIf('pv = 1')} AS bounced,
    ${d.countIf(`in_cart AND (bought OR told OR last_time < ${ended})`)} AS carted,
    ${d.countIf(`in_cart AND NOT bought AND (told OR last_time < ${ended})`)} AS abandoned,
    sum(n) AS events, sum(pv) AS page_views
  FROM ${facts} GROUP BY ${by && `${by}, `}source, campaign, ref`;
/** The columns of sessionTotals that are sums. */
export const SESSION_SUMS = ['sessions', 'converted', 'bounced', 'carted', 'abandoned', 'events', 'page_views'];

/** The events of the report's range, as a condition. @param {Dialect} d */
const rangeSql = (d) => `site = ${d.param('site')} AND time >= ${d.param('from')} AND time < ${d.param('to')}`;

/**
 * Every metric of the report, defined once. `range` rows are the site's events with
 * from <= time < to; `to` is exclusive. Comments give each definition in words.
 * @param {Dialect} dialect
 * @param {{ unit: number, shift: (column: string) => string, utc?: boolean }} [buckets] the timeline's: a day or an hour, and the
 *   zone's offset as SQL (utc: it is 0 all along)
 */
export const metricSql = (dialect, buckets = { unit: DAY, shift: () => '0', utc: true }) => {
  const d = defaults(dialect);
  const site = d.param('site');
  const range = rangeSql(d);
  // Most metrics are idempotent: a repeated event (same id, same fields) cannot change a max, a
  // first or last value, or a group keyed by transaction. Those read the rows as they are; only counts,
  // medians and percentiles of events see each id once, which on ClickHouse is the costly part.
  // A purchase counts once per transaction_id (events without one count by their own id).
  /** @param {string} where */
  const purchases = (where) => `SELECT k, min(coalesce(currency, '')) AS cur, min(time) AS paid_at,
      max(value) AS amount, min(coalesce(user_id, visitor_id)) AS customer
    FROM ${d.orders('currency, time, value, user_id, visitor_id', (w) => `${d.table('purchase')} WHERE ${w}`, `${where} AND type = 'purchase'`)} GROUP BY k`;
  return {
    // The journey funnel, per visitor (funnel.js); its first step is the range's visitors.
    journey: funnelSql(d, site, d.param('from'), d.param('to')),
    // Next the breakdowns: with the funnel, the costliest queries, so they start first (runAll runs in this order).
    ...breakdownSql(d, range),
    // The range's visitors: anyone with an event in it.
    visitors: `SELECT count(*) AS visitors FROM (${d.facts('visitor', range)})`,
    ...timelineSql(d, range, buckets, purchases(range)),
    ...productSql(d, range),
    checkout: checkoutSql(d, range),
    ...movementSql(d, range, site, d.param('from'), d.param('to')),
    // One row per (source, campaign, ref) of sessions, with the session counts every session metric needs.
    sessions: d.sessions((facts, ended) => sessionTotals(d, facts, ended), range),
    // Orders and revenue in the range, per currency (never summed across currencies).
    revenue: `SELECT cur AS currency, count(*) AS orders, sum(amount) AS revenue FROM (${purchases(range)})
      GROUP BY currency ORDER BY revenue DESC, currency`,
    // Customer lifetime value: all of a customer's purchases up to the end of the range (their whole
    // lifetime, not just the range) per customer (user_id, else visitor_id), per currency.
    clv: `SELECT currency, count(*) AS customers, sum(spent) AS revenue, ${d.countIf('orders > 1')} AS repeat_customers
      FROM (SELECT cur AS currency, customer, sum(amount) AS spent, count(*) AS orders
        FROM (${purchases(`site = ${site} AND time < ${d.param('to')}`)}) GROUP BY currency, customer)
      GROUP BY currency ORDER BY revenue DESC, currency`,
    // Engaged (visible) time on page from page_leave, by page type. (Rows carry a weight `w`: see Dialect.unique.)
    engaged: `SELECT page_type, sum(w) AS pages, ${d.quantile('engaged_ms', 0.5)} AS median_ms, sum(engaged_ms * w) / sum(w) AS mean_ms
      FROM ${d.unique('page_type, engaged_ms', `${range} AND type = 'page_leave' AND engaged_ms >= 0`, 'page_leave')}
      GROUP BY page_type ORDER BY pages DESC, page_type`,
    // NPS: each visitor's latest answer (0-10) counts once; promoters 9-10, detractors 0-6. "Latest" by id: a ULID
    // orders one browser's events by its own clock, and a repeat has its original's id, where its corrected time
    // may differ (each retry is corrected by its own batch's sent_at).
    nps: `SELECT count(*) AS responses, ${d.countIf('s >= 9')} AS promoters, ${d.countIf('s <= 6')} AS detractors FROM (
        SELECT ${d.lastBy('score', 'id')} AS s FROM ${d.table('nps_response')}
        WHERE ${range} AND type = 'nps_response' AND score >= 0 AND score <= 10 GROUP BY visitor_id)`,
    // Web vitals: the 75th percentile of each metric by the stage the visitor was in.
    vitals: `SELECT vital AS name, stage, ${d.quantile('value', 0.75)} AS p75, sum(w) AS samples
      FROM ${d.unique(
        'vital, stage, value',
        `${range} AND type = 'web_vital' AND value IS NOT NULL
        AND vital IN (${VITALS.map((v) => `'${v}'`).join(', ')})`,
        'web_vital',
      )} GROUP BY vital, stage ORDER BY vital, stage`,
  };
};

/**
 * Sum session rows by one dimension, keep the top ones by sessions, with their conversion.
 * @param {Record<string, any>[]} rows @param {'source' | 'campaign' | 'ref'} key
 */
const topBy = (rows, key) => {
  /** @type {Map<string, { name: string, sessions: number, converted: number }>} */
  const m = new Map();
  for (const r of rows) {
    if (!r[key] || !r.sessions) continue;
    const e = m.get(r[key]) ?? { name: r[key], sessions: 0, converted: 0 };
    e.sessions += r.sessions;
    e.converted += r.converted;
    m.set(r[key], e);
  }
  return [...m.values()]
    .sort((a, b) => b.sessions - a.sessions || a.name.localeCompare(b.name))
    .slice(0, TOP)
    .map((e) => ({ ...e, rate: rate(e.converted, e.sessions) }));
};

/** @param {Record<string, any>[]} rows @param {string} key */
const sum = (rows, key) => rows.reduce((n, r) => n + r[key], 0);

/**
 * Run named queries of `sql` for one range, as many at a time as the engine takes (ClickHouse: a query's
 * single-threaded steps, such as dropping repeats, then overlap with the next one's scan).
 * @param {import('./storage/index.js').Storage} storage
 * @param {{ dialect: Dialect, sql: Record<string, string>, params: Record<string, string | number>, prefix?: string }[]} sets
 */
const runAll = async (storage, sets) => {
  /** Rows as the engine gave them, by query name. @type {Record<string, any[]>} */
  const r = {};
  const queue = sets.flatMap(({ dialect, sql, params, prefix = '' }) =>
    Object.entries(sql).map(([name, text]) => ({
      name: prefix + name,
      text,
      params: Object.fromEntries(Object.entries(params).filter(([k]) => text.includes(dialect.param(k)))),
    })),
  );
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) r[job.name] = await storage.query(job.text, job.params);
  };
  await Promise.all(Array.from({ length: storage.parallel ?? 1 }, worker));
  return r;
};

/**
 * @param {import('./storage/index.js').Storage} storage
 * @param {{ site: string, from: number, to: number, now: number, filters: Record<string, string> }} q
 */
const dialectFor = async (storage, { site, from, to, now, filters }) => {
  const cond = filterSql(storage.dialect, filters);
  const params = { site, from, to, ...filterParams(filters) };
  // An engine with rollups says how to read them for this range (whole UTC days only), as of now: rollups of whole
  // sessions answer filters on sessions, not `stage` (of visitors; a session may have several).
  const d =
    cond && filters.stage
      ? undefined
      : await storage.prepare?.({
          site,
          from,
          to,
          wholeDays: from % DAY === 0 && to % DAY === 0,
          now,
          sessions: filterSessions(storage.dialect, filters),
          params,
        });
  return d && d !== storage.dialect ? d : filtered(storage.dialect, cond);
};

/** The headline figures of session rows, revenue rows and the NPS row. @param {Record<string, any[]>} r rows as the engine gave them */
const headline = (r) => {
  const s = r.sessions;
  const nps = r.nps[0];
  return {
    totals: {
      events: sum(s, 'events'),
      page_views: sum(s, 'page_views'),
      visitors: r.visitors[0].visitors,
      sessions: sum(s, 'sessions'),
    },
    conversion: {
      sessions: sum(s, 'sessions'),
      converted: sum(s, 'converted'),
      rate: rate(sum(s, 'converted'), sum(s, 'sessions')),
    },
    cart_abandonment: {
      carted: sum(s, 'carted'),
      abandoned: sum(s, 'abandoned'),
      rate: rate(sum(s, 'abandoned'), sum(s, 'carted')),
    },
    bounce: { sessions: sum(s, 'sessions'), bounced: sum(s, 'bounced'), rate: rate(sum(s, 'bounced'), sum(s, 'sessions')) },
    revenue: r.revenue.map((x) => ({ ...x, aov: rate(x.revenue ?? 0, x.orders) })),
    nps: {
      responses: nps.responses,
      promoters: nps.promoters ?? 0,
      detractors: nps.detractors ?? 0,
      score: nps.responses ? Math.round((100 * (nps.promoters - nps.detractors)) / nps.responses) : null,
    },
  };
};
const HEADLINE = /** @type {const} */ (['visitors', 'sessions', 'revenue', 'nps']);

/**
 * The revenue query's rows from the timeline's: each transaction is in one bucket, so the buckets add up (in
 * bucket order, so that every engine adds the same floats in the same order).
 * @param {Record<string, any>[]} rows
 */
const revenueOf = (rows) => {
  /** @type {Map<string, { currency: string, orders: number, revenue: number }>} */
  const m = new Map();
  for (const x of [...rows].sort((a, b) => a.b - b.b || (a.currency < b.currency ? -1 : 1))) {
    const c = m.get(x.currency) ?? { currency: x.currency, orders: 0, revenue: 0 };
    c.orders += x.orders;
    c.revenue += x.revenue;
    m.set(x.currency, c);
  }
  return [...m.values()].sort((a, b) => b.revenue - a.revenue || (a.currency < b.currency ? -1 : 1));
};

/**
 * The whole journey report for one site and a range [from, to) of `days` whole days in the time zone `tz`,
 * with the headline figures of the `days` before it.
 * @param {import('./storage/index.js').Storage} storage
 * @param {{ site: string, from: number, to: number, now?: number, tz?: string, days?: number, filters?: Record<string, string> }} q
 *   filters: filters.js, by name (none: the whole site)
 */
export const buildReport = async (
  storage,
  { site, from, to, now = Date.now(), tz = 'UTC', days = Math.round((to - from) / DAY), filters = {} },
) => {
  const started = performance.now();
  const before = previousRange({ from, days }, tz);
  const [dialect, earlier] = await Promise.all([
    dialectFor(storage, { site, from, to, now, filters }),
    dialectFor(storage, { site, ...before, now, filters }),
  ]);
  const fp = filterParams(filters);
  const unit = days <= 2 ? HOUR : DAY;
  const pieces = offsets(from, to, tz);
  const sql = metricSql(dialect, { unit, shift: shift(pieces), utc: pieces.every((p) => p.offset === 0) });
  const last = metricSql(earlier);
  const ended = now - SESSION_END_MS;
  // This range's visitors are the funnel's first step, and its revenue the timeline's orders added up.
  const { visitors: _, revenue: __, ...current } = sql;
  // Crawlers' events dropped at ingest, per UTC day (bots.js): the days the range touches, whatever the filters.
  const bots = `SELECT coalesce(sum(n), 0) AS n FROM bots WHERE site = ${dialect.param('site')}
    AND day >= ${dialect.div(dialect.param('from'), String(DAY))} AND day <= ${dialect.div(`${dialect.param('to')} - 1`, String(DAY))}`;
  const params = { site, from, to, ended, ...fp };
  const r = await runAll(storage, [
    { dialect, sql: { ...current, bots }, params },
    {
      dialect: earlier,
      sql: Object.fromEntries(HEADLINE.map((k) => [k, last[k]])),
      params: { site, ...before, ended, ...fp },
      prefix: 'previous_',
    },
  ])
    .then(async (r) => {
      // Two of the range's visitors share a key (Dialect.visitorKey): count the breakdowns' visitors again, by their ids.
      const { visited, visited_keys: keys = visited } = r.journey[0];
      if (Number(keys) === Number(visited)) return r;
      const { bd_sessions } = breakdownSql(defaults({ ...dialect, visitorKey: undefined }), rangeSql(dialect));
      return { ...r, ...(await runAll(storage, [{ dialect, sql: { bd_sessions }, params }])) };
    })
    .finally(() => Promise.all([dialect.release?.(), earlier.release?.()]));
  const previous = Object.fromEntries(HEADLINE.map((k) => [k, r[`previous_${k}`]]));
  const s = r.sessions;
  r.visitors = [{ visitors: r.journey[0].visited }];
  r.revenue = revenueOf(r.timeline_orders);
  const main = headline(r);
  return {
    site,
    from: localDate(from, tz),
    to: localDate(to - 1, tz),
    tz,
    days,
    ...main,
    ...funnelReport(r.journey[0]),
    conversion: { ...main.conversion, purchasers: r.journey[0].purchased_any ?? 0 },
    timeline: timeline(r, { from, to, tz, unit }),
    products: productTable(r.products, r.product_sales),
    checkout: checkoutTable(r.checkout[0]),
    transitions: r.transitions
      .sort(
        (a, b) =>
          STAGES.indexOf(a.from_stage) - STAGES.indexOf(b.from_stage) || STAGES.indexOf(a.to_stage) - STAGES.indexOf(b.to_stage),
      )
      .map((t) => ({ from: t.from_stage, to: t.to_stage, count: t.n })),
    first_purchase: r.first_purchase[0] ?? { buyers: 0, median_days: null, median_sessions: null },
    lcp_conversion: r.lcp_conversion.map((x) => ({
      stage: STAGES[x.stage],
      rating: x.rating,
      sessions: x.sessions,
      converted: x.converted,
      rate: rate(x.converted, x.sessions),
    })),
    engaged: r.engaged,
    clv: r.clv.map((x) => ({ ...x, clv: rate(x.revenue ?? 0, x.customers), repeat_rate: rate(x.repeat_customers, x.customers) })),
    filters,
    bots: Number(r.bots[0]?.n ?? 0),
    ...breakdownTables(r),
    sources: topBy(s, 'source'),
    campaigns: topBy(s, 'campaign'),
    referrals: topBy(s, 'ref'),
    vitals: r.vitals.map((v) => ({ ...v, stage: STAGES[v.stage], rating: rateVital(v.name, v.p75) })),
    previous: { from: localDate(before.from, tz), to: localDate(before.to - 1, tz), ...headline(previous) },
    query_ms: Math.round(performance.now() - started),
  };
};
