import { ulidToBigInt } from './ulid.js';
import { extract } from './extract.js';

/** The stages in funnel order; the database stores their index. */
export const STAGES = /** @type {const} */ (['awareness', 'consideration', 'conversion', 'retention', 'advocacy']);

/** Limits of the wire format as this collector enforces them. */
export const LIMITS = {
  maxEvents: 2000, // a tracker batch is at most 60,000 bytes, far fewer events than this
  maxSite: 100,
  maxType: 64,
  maxId: 128, // visitor, session and user ids
  maxUrl: 4096,
  maxTitle: 1024,
  maxProps: 32_768, // bytes of JSON
  // Clock offsets below this are network latency or small drift; beyond it the browser's clock is off.
  skewMs: 60_000,
};

const SITE_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const TYPE_RE = /^[A-Za-z0-9_.:-]+$/;
const EARLIEST = Date.UTC(2000, 0, 1);
/** @type {Map<unknown, number>} */
const STAGE_INDEX = new Map(STAGES.map((s, i) => [s, i]));
const NO_PROPS = Object.freeze({});

/**
 * @typedef {object} Row one event ready to store; extracted columns serve the report's metrics
 * @property {bigint} id
 * @property {string} ulid       the id as canonical (upper-case) text, for engines without 128-bit integers
 * @property {string} site
 * @property {number} time       epoch ms, corrected for the browser's clock
 * @property {number} received   epoch ms at the collector
 * @property {string} type
 * @property {string} visitor_id
 * @property {string} session_id
 * @property {string | null} user_id
 * @property {number} stage      index in STAGES
 * @property {string} url
 * @property {string} referrer
 * @property {string} title
 * @property {string} props      JSON text
 * @property {boolean} truncated
 * @typedef {Row & import('./extract.js').Extracted} StoredRow
 */

/**
 * @typedef {{ site: string, rows: StoredRow[], dropped: number } | { error: string }} Checked
 */

/** @param {unknown} v @returns {v is Record<string, unknown>} */
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** @param {unknown} v @param {number} max */
const isText = (v, max) => typeof v === 'string' && v.length <= max;

/** @param {unknown} v @param {number} max */
const isId = (v, max) => typeof v === 'string' && v.length <= max && v !== '';

/**
 * Check one event; returns an error message or undefined. Plain tests, no arrays or closures
 * built per event: this runs for every event at ingest.
 * @param {Record<string, unknown>} e
 * @param {bigint | undefined} id  e.id decoded
 */
const checkEvent = (e, id) => {
  if (id === undefined) return 'id: expected a ULID (26 base-32 characters)';
  if (!isText(e.type, LIMITS.maxType) || !TYPE_RE.test(/** @type {string} */ (e.type)))
    return `type: expected a name of letters, digits and _.:- (at most ${LIMITS.maxType})`;
  if (typeof e.time !== 'number' || !Number.isFinite(e.time) || e.time < EARLIEST) return 'time: expected epoch milliseconds';
  if (!isId(e.visitor_id, LIMITS.maxId)) return `visitor_id: expected a non-empty string (at most ${LIMITS.maxId})`;
  if (!isId(e.session_id, LIMITS.maxId)) return `session_id: expected a non-empty string (at most ${LIMITS.maxId})`;
  if (e.user_id != null && !isText(e.user_id, LIMITS.maxId)) return `user_id: expected a string (at most ${LIMITS.maxId})`;
  if (STAGE_INDEX.get(/** @type {any} */ (e.stage)) === undefined) return `stage: expected one of ${STAGES.join(', ')}`;
  if (e.url != null && !isText(e.url, LIMITS.maxUrl)) return `url: expected a string (at most ${LIMITS.maxUrl})`;
  if (e.referrer != null && !isText(e.referrer, LIMITS.maxUrl)) return `referrer: expected a string (at most ${LIMITS.maxUrl})`;
  if (e.title != null && !isText(e.title, LIMITS.maxTitle)) return `title: expected a string (at most ${LIMITS.maxTitle})`;
  if (e.props != null && !isObject(e.props)) return 'props: expected an object';
  if (e.truncated != null && typeof e.truncated !== 'boolean') return 'truncated: expected true';
};

/**
 * Validate a parsed batch (CONTRACT §6) and turn it into rows. Unknown fields are ignored.
 * Event times are shifted by the batch's clock offset when `sent_at` is further from
 * `now` than LIMITS.skewMs, and never lie in the future.
 * @param {unknown} body
 * @param {number} now
 * @returns {Checked}
 */
export const checkBatch = (body, now) => {
  if (!isObject(body)) return { error: 'expected a JSON object' };
  if (body.v !== 1) return { error: 'v: expected 1' };
  const { site, events, sent_at, dropped } = body;
  if (!isText(site, LIMITS.maxSite) || !SITE_RE.test(/** @type {string} */ (site)))
    return { error: `site: expected a site key of letters, digits and ._:- (at most ${LIMITS.maxSite})` };
  if (sent_at != null && (typeof sent_at !== 'number' || !Number.isFinite(sent_at))) return { error: 'sent_at: expected epoch milliseconds' };
  if (dropped != null && !(Number.isInteger(dropped) && /** @type {number} */ (dropped) >= 0))
    return { error: 'dropped: expected a non-negative integer' };
  if (!Array.isArray(events)) return { error: 'events: expected an array' };
  if (events.length > LIMITS.maxEvents) return { error: `events: over ${LIMITS.maxEvents} in one batch` };
  const skew = typeof sent_at === 'number' && Math.abs(now - sent_at) > LIMITS.skewMs ? now - sent_at : 0;
  /** @type {StoredRow[]} */
  const rows = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (!isObject(e)) return { error: `events[${i}]: expected an object` };
    const id = ulidToBigInt(e.id);
    const problem = checkEvent(e, id);
    if (problem) return { error: `events[${i}].${problem}` };
    const p = /** @type {Record<string, unknown>} */ (e.props ?? NO_PROPS);
    const props = e.props ? JSON.stringify(p) : '{}';
    if (props.length > LIMITS.maxProps) return { error: `events[${i}].props: over ${LIMITS.maxProps} bytes` };
    const type = /** @type {string} */ (e.type);
    const url = /** @type {string} */ (e.url ?? '');
    const x = extract(type, url, p);
    // One literal with every field, in one order. Spreading `x` in, then adding fields, took V8's slow
    // path: measured 30 µs an event, most of ingest's CPU (bench/bench.js under --cpu-prof).
    rows.push({
      id: /** @type {bigint} */ (id),
      ulid: /** @type {string} */ (e.id).toUpperCase(),
      site: /** @type {string} */ (site),
      time: Math.min(Math.round(/** @type {number} */ (e.time) + skew), now),
      received: now,
      type,
      visitor_id: /** @type {string} */ (e.visitor_id),
      session_id: /** @type {string} */ (e.session_id),
      user_id: /** @type {string | null} */ (e.user_id ?? null),
      stage: /** @type {number} */ (STAGE_INDEX.get(e.stage)),
      url,
      referrer: /** @type {string} */ (e.referrer ?? ''),
      title: /** @type {string} */ (e.title ?? ''),
      props,
      truncated: e.truncated === true,
      page_type: x.page_type,
      value: x.value,
      currency: x.currency,
      txn: x.txn,
      source: x.source,
      medium: x.medium,
      campaign: x.campaign,
      ref: x.ref,
      engaged_ms: x.engaged_ms,
      score: x.score,
      vital: x.vital,
      items: x.items,
    });
  }
  return { site: /** @type {string} */ (site), rows, dropped: /** @type {number} */ (dropped ?? 0) };
};
