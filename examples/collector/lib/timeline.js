// Visitors, sessions, orders and revenue per day (or hour) of the site's time zone: the report's chart.
import { DAY, HOUR, localDate, zoneOffset } from './range.js';

/**
 * The zone's offset at the time in `column`, as SQL, from the pieces of `offsets()`.
 * @param {{ until: number, offset: number }[]} pieces @returns {(column: string) => string}
 */
export const shift = (pieces) => (column) =>
  pieces.length === 1
    ? `(${pieces[0].offset})`
    : `(CASE ${pieces
        .slice(0, -1)
        .map((p) => `WHEN ${column} < ${p.until} THEN (${p.offset})`)
        .join(' ')} ELSE (${pieces[pieces.length - 1].offset}) END)`;

/**
 * The timeline's queries. A bucket is intDiv(time + the zone's offset, unit): a local day or hour.
 * Visitors: distinct visitors with an event in the bucket (a visitor of two days counts on both, so days do not
 * add up to the range's visitors). Sessions: each session with a page view, on the bucket of its first event in
 * the range (they add up to the range's sessions). Orders and revenue: each transaction once, at its first
 * event, per currency. Every figure is a min, a max or a distinct count: repeats of an event change none.
 * @param {import('./metrics.js').FullDialect} d @param {string} range
 * @param {{ unit: number, shift: (column: string) => string, utc?: boolean }} b
 * @param {string} purchases one row per transaction: `paid_at`, `cur`, `amount`
 */
export const timelineSql = (d, range, b, purchases) => {
  const bucket = (/** @type {string} */ col) => d.div(`${col} + ${b.shift(col)}`, String(b.unit));
  // Buckets that are UTC days: an engine keeping days apart answers them from there.
  const daily = b.unit === DAY && b.utc ? d.daily : undefined;
  return {
    timeline_visitors:
      daily?.('visitors', range) ??
      `SELECT ${bucket('time')} AS b, count(DISTINCT visitor_id) AS visitors FROM ${d.scan(range)} GROUP BY b`,
    timeline_sessions:
      daily?.('sessions', range) ??
      `SELECT ${bucket('began')} AS b, count(*) AS sessions FROM (
        SELECT min(time) AS began, max(type = 'page_view') AS pv FROM ${d.scan(range)} GROUP BY session_id) WHERE pv GROUP BY b`,
    timeline_orders: `SELECT ${bucket('paid_at')} AS b, cur AS currency, count(*) AS orders, sum(amount) AS revenue FROM (${purchases})
      GROUP BY b, currency`,
  };
};

/**
 * One row per bucket of the range, empty ones included, from the timeline's query results.
 * @param {Record<string, Record<string, any>[]>} r @param {{ from: number, to: number, tz: string, unit: number }} q
 */
export const timeline = (r, { from, to, tz, unit }) => {
  /** @type {Map<number, { at: string, visitors: number, sessions: number, orders: number, revenue: Record<string, number> }>} */
  const rows = new Map();
  if (unit === DAY) {
    const first = Date.parse(`${localDate(from, tz)}T00:00:00Z`) / DAY;
    const last = Date.parse(`${localDate(to - 1, tz)}T00:00:00Z`) / DAY;
    for (let k = first; k <= last; k++)
      rows.set(k, { at: new Date(k * DAY).toISOString().slice(0, 10), visitors: 0, sessions: 0, orders: 0, revenue: {} });
  } else {
    // The hour a change of clocks repeats is one bucket; the hour it skips, none.
    for (let t = from; t < to; t += HOUR) {
      const k = Math.floor((t + zoneOffset(t, tz)) / HOUR);
      if (!rows.has(k))
        rows.set(k, {
          at: new Date(k * HOUR).toISOString().slice(0, 16).replace('T', ' '),
          visitors: 0,
          sessions: 0,
          orders: 0,
          revenue: {},
        });
    }
  }
  for (const x of r.timeline_visitors) if (rows.has(x.b)) /** @type {any} */ (rows.get(x.b)).visitors = x.visitors;
  for (const x of r.timeline_sessions) if (rows.has(x.b)) /** @type {any} */ (rows.get(x.b)).sessions = x.sessions;
  /** @type {Set<string>} */
  const currencies = new Set();
  for (const x of r.timeline_orders) {
    const row = rows.get(x.b);
    if (!row) continue;
    row.orders += x.orders;
    row.revenue[x.currency] = (row.revenue[x.currency] ?? 0) + x.revenue;
    currencies.add(x.currency);
  }
  return { unit: unit === DAY ? 'day' : 'hour', currencies: [...currencies].sort(), rows: [...rows.values()] };
};
