// The product table and the checkout step funnel, from the commerce events' items (the `items` column: one
// line per item, see extract.js) and types.
import { rate } from './ratio.js';

/**
 * The checkout steps by session, in order, with the event standing for each.
 * @type {[step: string, kind: keyof typeof import('./metrics.js').KINDS][]}
 */
export const CHECKOUT = [
  ['item', 'view_item'],
  ['cart', 'add_to_cart'],
  ['checkout', 'begin_checkout'],
  ['shipping', 'add_shipping_info'],
  ['payment', 'add_payment_info'],
  ['purchase', 'purchase'],
];

/**
 * Per item_id: view_item and add_to_cart events holding it (each event once), and per currency the purchases
 * holding it (each transaction once, its quantity and price × quantity taken once however often it was sent).
 * @param {import('./metrics.js').FullDialect} d @param {string} range
 */
export const productSql = (d, range) => {
  const item = d.field('line', 1);
  const sold = d.orders(
    `currency, ${d.lines('items')} AS line`,
    (w) => d.typed(['purchase'], w),
    `${range} AND items IS NOT NULL`,
  );
  return {
    products: `SELECT item, min(label) AS name, ${d.once("type = 'view_item'")} AS views, ${d.once("type = 'add_to_cart'")} AS carts
      FROM (SELECT id, type, ${item} AS item, ${d.field('line', 2)} AS label FROM (SELECT id, type, ${d.lines('items')} AS line FROM ${d.typed(['view_item', 'add_to_cart'], `${range} AND items IS NOT NULL`)})) GROUP BY item`,
    product_sales: `SELECT item, cur AS currency, count(*) AS purchases, sum(q) AS quantity, sum(p * q) AS revenue FROM (
        SELECT k, ${item} AS item, min(coalesce(currency, '')) AS cur,
          max(${d.num(d.field('line', 4))}) AS q, max(${d.num(d.field('line', 3))}) AS p, min(${d.field('line', 2)}) AS label
        FROM ${sold} GROUP BY k, item)
      GROUP BY item, currency`,
  };
};

/**
 * Per session (aggregates over its events, `x AS name`): `t_item`, its first view_item's time (else `never`), and
 * `l_<step>`, the times of each later step's events.
 * @param {Pick<import('./metrics.js').Dialect, 'listIf' | 'never'>} d
 */
export const checkoutLists = (d) =>
  CHECKOUT.map(([step, type], i) =>
    i
      ? `${d.listIf('time', `type = '${type}'`)} AS l_${step}`
      : `min(CASE WHEN type = '${type}' THEN time ELSE ${d.never} END) AS t_${step}`,
  );

/**
 * Sessions through the checkout steps, closed: a session counts at a step once it reached every step before it,
 * in order (the first view_item; then an add_to_cart at or after it; …). `<step>_any`: sessions with the step's
 * event at all. Mins and maxes of times: repeats change nothing.
 * @param {import('./metrics.js').FullDialect} d @param {string} range
 */
export const checkoutSql = (d, range) => {
  const N = d.never;
  const lists = checkoutLists(d);
  let last = `t_${CHECKOUT[0][0]}`;
  const chain = CHECKOUT.slice(1).map(([step]) => (last = d.firstFrom(`l_${step}`, last)));
  return `SELECT ${CHECKOUT.map(([step]) => `${d.countIf(`t_${step} < ${N}`)} AS ${step}`).join(', ')},
      ${CHECKOUT.map(([step]) => `${d.countIf(`a_${step}`)} AS ${step}_any`).join(', ')}
    FROM (SELECT t_item, ${chain.map((x, i) => `${x} AS t_${CHECKOUT[i + 1][0]}`).join(', ')},
        t_item < ${N} AS a_item, ${CHECKOUT.slice(1)
          .map(([step]) => `${d.firstFrom(`l_${step}`, '0')} < ${N} AS a_${step}`)
          .join(', ')}
      FROM ${
        d.checkout?.() ??
        `(SELECT ${lists.join(', ')} FROM ${d.typed(
          CHECKOUT.map(([, t]) => t),
          range,
        )} GROUP BY session_id)`
      })`;
};

/**
 * @param {Record<string, any>[]} products @param {Record<string, any>[]} sales
 * @returns {{ item_id: string, name: string, views: number, carts: number, purchases: number, quantity: number,
 *   revenue: { currency: string, revenue: number }[], view_to_purchase: number | null }[]}
 */
export const productTable = (products, sales) => {
  /** @type {Map<string, any>} */
  const m = new Map();
  const get = (/** @type {string} */ id, /** @type {string} */ name) => {
    if (!m.has(id)) m.set(id, { item_id: id, name, views: 0, carts: 0, purchases: 0, quantity: 0, revenue: [] });
    return m.get(id);
  };
  for (const p of products) Object.assign(get(p.item, p.name), { views: p.views ?? 0, carts: p.carts ?? 0 });
  for (const s of sales) {
    const p = get(s.item, '');
    p.purchases += s.purchases;
    p.quantity += s.quantity;
    p.revenue.push({ currency: s.currency, revenue: s.revenue });
  }
  return [...m.values()]
    .map((p) => ({
      ...p,
      revenue: p.revenue.sort((/** @type {any} */ a, /** @type {any} */ b) => a.currency.localeCompare(b.currency)),
      view_to_purchase: rate(p.purchases, p.views),
    }))
    .sort((a, b) => b.purchases - a.purchases || b.views - a.views || a.item_id.localeCompare(b.item_id));
};

/** @param {Record<string, number | null>} row */
export const checkoutTable = (row) =>
  CHECKOUT.map(([step], i) => ({
    step,
    sessions: row[step] ?? 0,
    entrants: (row[`${step}_any`] ?? 0) - (row[step] ?? 0),
    of_previous: i ? rate(row[step] ?? 0, row[CHECKOUT[i - 1][0]] ?? 0) : null,
  }));
