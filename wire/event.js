// One definition of a valid event, read by the tracker (src/, bundled) and by the reference collector
// (examples/collector/, run by Node as it is): neither imports the other, both import this file. Plain
// JavaScript without dependencies for that reason; event.d.ts gives the tracker its types. The root README
// ("What a valid event is") and the collector's README state the same limits for people.

/** Characters of an event `type`. */
export const MAX_TYPE = 100;
/** Characters of `visitor_id`, `session_id` and `user_id`. */
export const MAX_ID = 200;
/** Characters of a site key (the pattern is SITE). */
export const MAX_SITE = 100;
/** Characters of `url` and `referrer` (the tracker sends at most 2,000). */
export const MAX_URL = 4096;
/** Characters of `title` (the tracker sends at most 300). */
export const MAX_TITLE = 1024;
/**
 * Characters of an event's props as JSON. A tracker batch is at most 60,000 bytes and a character is at least
 * one byte, so no props the tracker sends reach it.
 */
export const MAX_PROPS = 65_536;
/** Nesting of a batch body: the envelope, the events, an event and its props (the tracker's are at most 8 deep). An event deeper is refused on its own. */
export const MAX_DEPTH = 64;
/** Events in one batch: a 60,000-byte tracker batch holds a few hundred at most. */
export const MAX_EVENTS = 2000;
/** Money (`value`, `price`) the report adds up: beyond this it is clamped, so sums stay finite. */
export const MAX_MONEY = 1e15;
/** `engaged_ms` of one page: a day. */
export const MAX_ENGAGED_MS = 864e5;
/** Event times before this (2000-01-01) are clamped to it, after the browser's clock is corrected. */
export const EARLIEST = 946_684_800_000;
/** Clock offsets below this are latency or small drift; beyond it the browser's clock is taken as off. */
export const SKEW_MS = 60_000;
/** Site keys: letters, digits and `_.:-[]` (an IPv6 host name has brackets), 1 to MAX_SITE of them. */
export const SITE = /^[\w.:[\]-]{1,100}$/;

// C0 controls, DEL and C1 controls: they break log lines, CSV exports and terminals.
const CONTROLS = /[\0-\x1f\x7f-\x9f]/;
const CONTROLS_ALL = /[\0-\x1f\x7f-\x9f]/g;

/** A valid event type: 1 to MAX_TYPE characters, none of them a control character ('Add to cart' is one). */
export const isType = (t) => typeof t == 'string' && t.length > 0 && t.length <= MAX_TYPE && !CONTROLS.test(t);

/** What the tracker sends for a type a page gave: control characters become spaces, and it is cut to MAX_TYPE. */
export const fitType = (t) => ('' + t).replace(CONTROLS_ALL, ' ').slice(0, MAX_TYPE);
