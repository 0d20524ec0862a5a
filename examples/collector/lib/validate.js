import { ulidToBigInt } from './ulid.js';
import { extract } from './extract.js';
import { tooDeep } from './json.js';
import * as W from '../../../wire/event.js';

/** The stages in funnel order; the database stores their index. */
export const STAGES = /** @type {const} */ (['awareness', 'consideration', 'conversion', 'retention', 'advocacy']);

/** Limits of the wire format, from the one definition the tracker shares (wire/event.js). */
export const LIMITS = {
  maxEvents: W.MAX_EVENTS,
  maxSite: W.MAX_SITE,
  maxType: W.MAX_TYPE,
  maxId: W.MAX_ID, // visitor, session and user ids
  maxUrl: W.MAX_URL,
  maxTitle: W.MAX_TITLE,
  maxProps: W.MAX_PROPS, // characters of JSON
  skewMs: W.SKEW_MS,
};

/** @type {Map<unknown, number>} */
const STAGE_INDEX = new Map(STAGES.map((s, i) => [s, i]));
const NO_PROPS = Object.freeze({});
// A sent_at further than this from the collector's clock is not a clock to correct by: it is ignored.
const SENT_AT_RANGE = 100 * 365 * 864e5;
// An event is the third level of its body (the envelope, `events`, the event): MAX_DEPTH bounds the body.
const EVENT_DEPTH = W.MAX_DEPTH - 2;

/**
 * @typedef {object} Row one event ready to store; extracted columns serve the report's metrics
 * @property {bigint} id
 * @property {string} ulid       the id as canonical (upper-case) text, for engines without 128-bit integers
 * @property {string} site
 * @property {number} time       epoch ms, corrected for the browser's clock, within EARLIEST … received
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
 * @property {string | null} device   desktop, mobile, tablet… of the request's User-Agent (user-agent.js)
 * @property {string | null} browser
 * @property {string | null} os
 * @property {string | null} country  ISO 3166-1 alpha-2 (country.js)
 * @typedef {Row & import('./extract.js').Extracted} StoredRow
 */

/**
 * A sound envelope gives rows for its valid events and counts the refused ones by reason; a broken one, an error.
 * @typedef {{ site: string, rows: StoredRow[], dropped: number, refused: number, reasons: Record<string, number> } | { error: string }} Checked
 */

/** @typedef {{ device: string | null, browser: string | null, os: string | null, country: string | null }} Visitor */
/** @type {Visitor} */
export const UNKNOWN = Object.freeze({ device: null, browser: null, os: null, country: null });

/** @param {unknown} v @returns {v is Record<string, unknown>} */
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** @param {unknown} v @param {number} max */
const isText = (v, max) => typeof v === 'string' && v.length <= max;

/** @param {unknown} v @param {number} max */
const isId = (v, max) => typeof v === 'string' && v.length <= max && v !== '';

/**
 * Check one event; returns the reason it is refused, or undefined. Plain tests, no arrays or closures built
 * per event: this runs for every event at ingest. Reasons are fixed texts (no values in them), so they can be
 * counted and logged without echoing what a client sent.
 * @param {Record<string, unknown>} e
 * @param {bigint | undefined} id  e.id decoded
 */
const checkEvent = (e, id) => {
  if (id === undefined) return 'id: expected a ULID (26 base-32 characters)';
  if (!W.isType(e.type)) return `type: expected 1 to ${W.MAX_TYPE} characters, no control characters`;
  if (typeof e.time !== 'number' || !Number.isFinite(e.time)) return 'time: expected epoch milliseconds';
  if (!isId(e.visitor_id, W.MAX_ID)) return `visitor_id: expected a non-empty string (at most ${W.MAX_ID})`;
  if (!isId(e.session_id, W.MAX_ID)) return `session_id: expected a non-empty string (at most ${W.MAX_ID})`;
  if (e.user_id != null && !isText(e.user_id, W.MAX_ID)) return `user_id: expected a string (at most ${W.MAX_ID})`;
  if (STAGE_INDEX.get(/** @type {any} */ (e.stage)) === undefined) return `stage: expected one of ${STAGES.join(', ')}`;
  if (e.url != null && !isText(e.url, W.MAX_URL)) return `url: expected a string (at most ${W.MAX_URL})`;
  if (e.referrer != null && !isText(e.referrer, W.MAX_URL)) return `referrer: expected a string (at most ${W.MAX_URL})`;
  if (e.title != null && !isText(e.title, W.MAX_TITLE)) return `title: expected a string (at most ${W.MAX_TITLE})`;
  if (e.props != null && !isObject(e.props)) return 'props: expected an object';
  if (e.truncated != null && typeof e.truncated !== 'boolean') return 'truncated: expected true';
};

/**
 * Validate a parsed batch (root README, "What a valid event is") and turn its valid events into rows. Only a
 * broken envelope (not an object, `v` not 1, a bad site key, no events array, too many events) is an error for
 * the whole batch; an invalid event is refused on its own and counted under its reason. Unknown fields are
 * ignored, and so are a `sent_at` or `dropped` that make no sense.
 * Event times are shifted by the batch's clock offset when `sent_at` is further from `now` than SKEW_MS, then
 * kept within EARLIEST … now: no client clock can store a time the report cannot read.
 * @param {unknown} body
 * @param {number} now
 * @param {Visitor} [who] the request's visitor columns, the same on each of its rows
 * @returns {Checked}
 */
export const checkBatch = (body, now, who = UNKNOWN) => {
  if (!isObject(body)) return { error: 'expected a JSON object' };
  if (body.v !== 1) return { error: 'v: expected 1' };
  const { site, events, sent_at, dropped } = body;
  if (typeof site !== 'string' || !W.SITE.test(site))
    return { error: `site: expected a site key of letters, digits and _.:-[] (at most ${W.MAX_SITE})` };
  if (!Array.isArray(events)) return { error: 'events: expected an array' };
  if (events.length > W.MAX_EVENTS) return { error: `events: over ${W.MAX_EVENTS} in one batch` };
  // NaN, 1e300 or a date centuries away is no clock reading: the event times stay as sent (then clamped).
  const clock = typeof sent_at === 'number' && Math.abs(now - sent_at) < SENT_AT_RANGE ? sent_at : now;
  const skew = Math.abs(now - clock) > W.SKEW_MS ? now - clock : 0;
  /** @type {StoredRow[]} */
  const rows = [];
  let refused = 0;
  /** @type {Record<string, number>} */
  const reasons = {};
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    let problem;
    /** @type {bigint | undefined} */
    let id;
    let props = '{}';
    if (!isObject(e)) problem = 'event: expected an object';
    // Before anything reads it: a recursive walk (JSON.stringify of its props) of a deeper one would overflow.
    else if (tooDeep(e, EVENT_DEPTH)) problem = `event: nested over ${EVENT_DEPTH} levels`;
    else {
      id = ulidToBigInt(e.id);
      problem = checkEvent(e, id);
      if (!problem && e.props) {
        props = JSON.stringify(e.props);
        if (props.length > W.MAX_PROPS) problem = `props: over ${W.MAX_PROPS} characters of JSON`;
      }
    }
    if (problem) {
      refused++;
      reasons[problem] = (reasons[problem] ?? 0) + 1;
      continue;
    }
    const ev = /** @type {Record<string, unknown>} */ (e);
    const p = /** @type {Record<string, unknown>} */ (ev.props ?? NO_PROPS);
    const type = /** @type {string} */ (ev.type);
    const url = /** @type {string} */ (ev.url ?? '');
    const x = extract(type, url, p, /** @type {string} */ (ev.referrer ?? ''));
    // One literal with every field, in one order. Spreading `x` in, then adding fields, took V8's slow
    // path: measured 30 µs an event, most of ingest's CPU (bench/bench.js under --cpu-prof).
    rows.push({
      id: /** @type {bigint} */ (id),
      ulid: /** @type {string} */ (ev.id).toUpperCase(),
      site,
      time: Math.max(W.EARLIEST, Math.min(Math.round(/** @type {number} */ (ev.time) + skew), now)),
      received: now,
      type,
      visitor_id: /** @type {string} */ (ev.visitor_id),
      session_id: /** @type {string} */ (ev.session_id),
      user_id: /** @type {string | null} */ (ev.user_id ?? null),
      stage: /** @type {number} */ (STAGE_INDEX.get(ev.stage)),
      url,
      referrer: /** @type {string} */ (ev.referrer ?? ''),
      title: /** @type {string} */ (ev.title ?? ''),
      props,
      truncated: ev.truncated === true,
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
      device: who.device,
      browser: who.browser,
      os: who.os,
      country: who.country,
      path: x.path,
      referrer_host: x.referrer_host,
    });
  }
  const lost = Number.isInteger(dropped) && /** @type {number} */ (dropped) > 0 ? /** @type {number} */ (dropped) : 0;
  return { site, rows, dropped: lost, refused, reasons };
};
