import { pageType } from './classify.js';
import { MAX_ENGAGED_MS, MAX_MONEY } from '../../../wire/event.js';

/**
 * A finite number within lo … hi (clamped), else null. Clamped, not refused: a purchase of 1.7e308 is still a
 * purchase, but two of them must not add up to Infinity (a site's revenue, AOV and CLV would read null).
 * @param {unknown} v @param {number} [lo] @param {number} [hi]
 */
const num = (v, lo = -Infinity, hi = Infinity) =>
  typeof v === 'number' && Number.isFinite(v) ? (v < lo ? lo : v > hi ? hi : v) : null;
/** @param {unknown} v */
const str = (v) => (typeof v === 'string' && v ? v.slice(0, 200) : null);

/**
 * @typedef {object} Extracted the props the report reads, as columns so queries need not parse JSON
 * @property {string} page_type
 * @property {number | null} value       props.value: money on commerce events, the metric on web_vital (within ±MAX_MONEY)
 * @property {string | null} currency
 * @property {string | null} txn         props.transaction_id
 * @property {string | null} source      first page_view of a session: search, social, paid, …
 * @property {string | null} medium      props.utm_medium
 * @property {string | null} campaign    props.utm_campaign
 * @property {string | null} ref         a referral code
 * @property {number | null} engaged_ms  page_leave (0 … a day)
 * @property {number | null} score       nps_response (0 … 10)
 * @property {string | null} vital       web_vital: LCP, INP, CLS, FCP, TTFB
 * @property {string | null} items       props.items (GA4), as lines the report splits: see itemLines
 */

/** Tabs and line breaks separate an item's fields and items: never inside one. @param {string} s */
const flat = (s) => s.replace(/[\t\n\r]/g, ' ');

/**
 * props.items as text both engines split the same way without parsing JSON: one line per item_id (quantities of
 * repeated ids summed), `id TAB name TAB price TAB quantity`; a missing quantity is 1, a missing price empty.
 * @param {unknown} items @returns {string | null}
 */
export const itemLines = (items) => {
  if (!Array.isArray(items)) return null;
  /** @type {Map<string, { name: string, price: number | null, quantity: number }>} */
  const byId = new Map();
  for (const it of items.slice(0, 200)) {
    if (!it || typeof it !== 'object') continue;
    const id = str(it.item_id) ?? (typeof it.item_id === 'number' ? String(it.item_id) : null) ?? str(it.item_name);
    if (!id) continue;
    const seen = byId.get(flat(id)) ?? { name: flat(str(it.item_name) ?? ''), price: num(it.price), quantity: 0 };
    seen.quantity += num(it.quantity) ?? 1;
    byId.set(flat(id), seen);
  }
  return byId.size ? [...byId].map(([id, x]) => `${id}\t${x.name}\t${x.price ?? ''}\t${x.quantity}`).join('\n') : null;
};

/**
 * @param {string} type
 * @param {string} url
 * @param {Record<string, unknown>} p
 * @returns {Extracted}
 */
export const extract = (type, url, p) => ({
  page_type: str(p.page_type) ?? pageType(url),
  value: num(p.value, -MAX_MONEY, MAX_MONEY),
  currency: str(p.currency)?.toUpperCase() ?? null,
  txn:
    type === 'purchase'
      ? (str(p.transaction_id) ?? (typeof p.transaction_id === 'number' ? String(p.transaction_id) : null))
      : null,
  // How a session arrived is read from its page views only: a `referral_share` carries the sharer's own
  // code in `ref`, and crediting it would count the sharer as arriving through their own link.
  source: type === 'page_view' ? str(p.source) : null,
  medium: type === 'page_view' ? str(p.utm_medium) : null,
  campaign: type === 'page_view' ? str(p.utm_campaign) : null,
  ref: type === 'page_view' ? str(p.ref) : null,
  engaged_ms: type === 'page_leave' ? num(p.engaged_ms, 0, MAX_ENGAGED_MS) : null,
  // NPS is a 0–10 scale.
  score: type === 'nps_response' ? num(p.score, 0, 10) : null,
  vital: type === 'web_vital' ? (str(p.name)?.toUpperCase() ?? null) : null,
  items: itemLines(p.items),
});
