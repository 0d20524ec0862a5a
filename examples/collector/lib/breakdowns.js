// Who the visitors are: sessions by device, browser, OS, country, landing page, exit page and referring site,
// each with visitors, sessions, orders, conversion and revenue. A session's device, browser, OS and country come
// from its requests (the same on all its events), its landing page is its first page view's path, its exit page
// its last one's, its referring site its first page view's.
import { rate } from './ratio.js';

/**
 * Each table's value of a session, as [kind, column]: `min` the smallest non-null value (device, browser, OS and
 * country are the same on every event of a request, so on every event of a session, but those stored before the
 * columns were: any non-null one will do, and min() costs a third of an arg_min), `first` the earliest non-null
 * one, `last` the latest. Kinds that combine over parts of a session (ClickHouse's rollups keep them by day).
 * @satisfies {Record<string, ['min' | 'first' | 'last', string]>}
 */
export const DIMENSIONS = {
  devices: ['min', 'device'],
  browsers: ['min', 'browser'],
  os: ['min', 'os'],
  countries: ['min', 'country'],
  landing: ['first', 'path'],
  exit: ['last', 'path'],
  referrers: ['first', 'referrer_host'],
};
/**
 * A table's value over a session's events. (The latest non-null value is the earliest by negated time.)
 * @param {Pick<import('./metrics.js').Dialect, 'firstBy'>} d @param {['min' | 'first' | 'last', string]} dim
 */
export const dimension = (d, [kind, x]) => (kind === 'min' ? `min(${x})` : d.firstBy(x, kind === 'first' ? 'time' : '-time'));
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
// Per table, value and currency: sessions with a purchase, their orders and revenue.
const ORDER_SUMS = 'count(*) AS converted, sum(orders) AS orders, sum(spent) AS spent';

/**
 * `bd_sessions`: per table and value, visitors and sessions (a repeated event changes neither, so the events are
 * read as they are), in one pass: one row per session and table (Dialect.tagged where the engine has it; else each
 * session's values joined as lines `table TAB value`, then one row per line: paths and hosts hold no tab or line
 * break, extract.js). Visitors are counted by Dialect.visitorKey where the engine has one. `bd_orders`: per table,
 * value and currency, the sessions with a purchase, their orders (each transaction once) and revenue (each event id
 * once), in the same pass over one row per such session. An engine may read both sets of sessions from its own
 * copies (Dialect.dims).
 * @param {import('./metrics.js').FullDialect} d @param {string} range
 * @returns {Record<string, string>}
 */
export const breakdownSql = (d, range) => {
  const dims = Object.entries(DIMENSIONS);
  const buyers = `SELECT session_id FROM ${d.typed(['purchase'], range)}`;
  const visits =
    d.dims?.(range, 'visit') ??
    `SELECT visitor_id AS vis, ${d.countIf("type = 'page_view'")} AS pv, ${dims.map(([name, x]) => `${dimension(d, x)} AS d_${name}`).join(', ')}
      FROM ${d.scan(range)} GROUP BY visitor_id, session_id`;
  // The visitor's key computed once per session, not once per table.
  const vis = d.visitorKey?.('vis') ?? 'vis';
  const visitors = 'count(DISTINCT vk) AS visitors';
  const text = dims.map(([name], i) => `${i ? `'\n${i}\t'` : `'0\t'`}, coalesce(d_${name}, '')`).join(', ');
  const tagged = d.tagged?.(dims.map(([name]) => `coalesce(d_${name}, '')`));
  const sold =
    d.dims?.(range, 'buyer') ??
    `SELECT ${dims.map(([name, x]) => `coalesce(${dimension(d, x)}, '') AS d_${name}`).join(', ')},
        count(DISTINCT CASE WHEN type = 'purchase' THEN coalesce(txn, ${d.text('id')}) END) AS orders,
        coalesce(min(CASE WHEN type = 'purchase' THEN currency END), '') AS cur,
        sum(CASE WHEN type = 'purchase' THEN value ELSE 0 END) AS spent
      FROM ${d.from(`${range} AND session_id IN (${buyers})`)} GROUP BY session_id`;
  /**
   * Rows of `from` (a FROM, one row per session) as one row per table, `dim` its digit and `name` the session's
   * value, each with the columns `keep` (`x AS name`, computed once per session); then `sums` per dim, name and `by`.
   * @param {string} from @param {string[]} keep @param {string} sums @param {string} [by]
   */
  const perTable = (from, keep, sums, by) => {
    const kept = keep.map((k) => k.split(' AS ').pop()).join(', ');
    const group = by ? `, ${by}` : '';
    return tagged
      ? `SELECT substring(k, 1, 1) AS dim, substring(k, 2) AS name${group}, ${sums}
        FROM (SELECT ${keep.join(', ')}, ${tagged} AS k FROM ${from}) GROUP BY k${group}`
      : `SELECT dim, name${group}, ${sums} FROM (
          SELECT ${d.field('line', 1)} AS dim, ${d.field('line', 2)} AS name, ${kept}
          FROM (SELECT ${d.lines('txt')} AS line, ${kept} FROM (SELECT concat(${text}) AS txt, ${keep.join(', ')} FROM ${from})))
        GROUP BY dim, name${group}`;
  };
  return {
    bd_sessions: perTable(`(${visits}) WHERE pv > 0`, [`${vis} AS vk`], `${visitors}, count(*) AS sessions`),
    bd_orders: perTable(`(${sold})`, ['orders', 'cur', 'spent'], ORDER_SUMS, 'cur'),
  };
};

/**
 * The tables from the rows of breakdownSql: each row with its orders, converted sessions (with a purchase),
 * conversion (converted ÷ sessions) and revenue per currency.
 * @param {Record<string, any[]>} r rows as the engine gave them
 * @returns {Record<keyof typeof DIMENSIONS, { name: string, visitors: number, sessions: number, orders: number, converted: number, rate: number | null, revenue: { currency: string, revenue: number }[] }[]>}
 */
export const breakdownTables = (r) =>
  /** @type {any} */ (
    Object.fromEntries(
      Object.keys(DIMENSIONS).map((name, i) => [
        name,
        r.bd_sessions
          .filter((x) => x.dim === String(i))
          .sort((a, b) => b.sessions - a.sessions || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
          .slice(0, TOP)
          .map((x) => {
            const sold = r.bd_orders.filter((o) => o.dim === String(i) && o.name === x.name);
            /** @type {Map<string, number>} */
            const money = new Map();
            for (const o of sold) money.set(o.cur, (money.get(o.cur) ?? 0) + (o.spent ?? 0));
            const converted = sold.reduce((n, o) => n + o.converted, 0);
            return {
              name: x.name,
              visitors: x.visitors,
              sessions: x.sessions,
              orders: sold.reduce((n, o) => n + o.orders, 0),
              converted,
              rate: rate(converted, x.sessions),
              revenue: [...money].map(([currency, revenue]) => ({ currency, revenue })).sort((a, b) => b.revenue - a.revenue),
            };
          }),
      ]),
    )
  );
