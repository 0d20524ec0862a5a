// Who the visitors are: sessions by device, browser, OS, country, landing page, exit page and referring site,
// each with visitors, sessions, orders, conversion and revenue. A session's value of each is its first event's
// (they come from the request, the same on all its events), its landing page its first page view's path and its
// exit page its last one's.
import { rate } from './ratio.js';

/** @type {Record<string, (d: import('./metrics.js').Dialect) => string>} */
export const DIMENSIONS = {
  devices: (d) => d.firstBy('device', 'time'),
  browsers: (d) => d.firstBy('browser', 'time'),
  os: (d) => d.firstBy('os', 'time'),
  countries: (d) => d.firstBy('country', 'time'),
  landing: (d) => d.firstBy('path', 'time'),
  // The latest non-null path: the earliest by negated time.
  exit: (d) => d.firstBy('path', '-time'),
  referrers: (d) => d.firstBy('referrer_host', 'time'),
};
/** The report's filter each table's rows apply when clicked (filters.js). */
export const FILTER_OF = /** @type {const} */ ({
  devices: 'device',
  browsers: 'browser',
  os: 'os',
  countries: 'country',
  landing: 'landing',
  exit: 'exit',
  referrers: 'referrer',
});
const TOP = 10;

/**
 * Per dimension, `bd_<name>`: its top values by sessions with visitors and sessions (repeated events cannot change
 * either, so the rows are read as they are); and `bd_orders`: one row per session with a purchase, its value of
 * every dimension, orders (each transaction once), currency and revenue (each event id once).
 * @param {Required<import('./metrics.js').Dialect>} d @param {string} range
 * @returns {Record<string, string>}
 */
export const breakdownSql = (d, range) => {
  const dims = Object.entries(DIMENSIONS);
  const buyers = `SELECT session_id FROM ${d.typed(['purchase'], range)}`;
  return {
    ...Object.fromEntries(
      dims.map(([name, x]) => [
        `bd_${name}`,
        `SELECT name, count(DISTINCT visitor_id) AS visitors, count(*) AS sessions FROM (
          SELECT visitor_id, coalesce(${x(d)}, '') AS name, ${d.countIf("type = 'page_view'")} AS pv
          FROM ${d.scan(range)} GROUP BY visitor_id, session_id)
        WHERE pv > 0 GROUP BY name ORDER BY sessions DESC, name LIMIT ${TOP}`,
      ]),
    ),
    bd_orders: `SELECT ${dims.map(([name, x]) => `coalesce(${x(d)}, '') AS d_${name}`).join(', ')},
        count(DISTINCT CASE WHEN type = 'purchase' THEN coalesce(txn, ${d.text('id')}) END) AS orders,
        coalesce(min(CASE WHEN type = 'purchase' THEN currency END), '') AS cur,
        sum(CASE WHEN type = 'purchase' THEN value ELSE 0 END) AS spent
      FROM ${d.from(`${range} AND session_id IN (${buyers})`)} GROUP BY session_id`,
  };
};

/**
 * The tables from the rows of breakdownSql: each row with its orders, converted sessions (with a purchase),
 * conversion (converted ÷ sessions) and revenue per currency.
 * @param {Record<string, Record<string, any>[]>} r
 */
export const breakdownTables = (r) =>
  Object.fromEntries(
    Object.keys(DIMENSIONS).map((name) => [
      name,
      r[`bd_${name}`].map((x) => {
        const sold = r.bd_orders.filter((o) => o[`d_${name}`] === x.name);
        /** @type {Map<string, number>} */
        const money = new Map();
        for (const o of sold) money.set(o.cur, (money.get(o.cur) ?? 0) + (o.spent ?? 0));
        return {
          name: x.name,
          visitors: x.visitors,
          sessions: x.sessions,
          orders: sold.reduce((n, o) => n + o.orders, 0),
          converted: sold.length,
          rate: rate(sold.length, x.sessions),
          revenue: [...money].map(([currency, revenue]) => ({ currency, revenue })).sort((a, b) => b.revenue - a.revenue),
        };
      }),
    ]),
  );
