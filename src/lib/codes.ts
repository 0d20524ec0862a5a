/**
 * The main tag's debug messages are numbers, not words: `[journey] 18 price` (README, "Debugging", has the table of
 * what each means). Words would cost every page load some 100 B of brotli for a console only developers open. Terser
 * inlines these constants, so the tag carries the bare numbers. Plugins outside the core log words of their own.
 */

// Options and set-up
/** `option <name> <value>`: an option of the wrong type or range; its default is used. */
export const OPTION = 1;
/** `data-rules` is not JSON. */
export const BAD_RULES_JSON = 2;
/** `<rule>`: a URL rule that is no `{match, stage?, event?}`. */
export const BAD_RULE = 3;
/** `rules` is not a list. */
export const BAD_RULES = 4;
/** `<name>`: `data-plugins` names a plugin the tag does not carry. */
export const UNKNOWN_PLUGIN = 5;
/** `dataLayer` named in `data-plugins` without its add-on tag on the page. */
export const NO_DATA_LAYER = 6;
/** `<name>`: a `journey(…)` command the tag does not know. */
export const UNKNOWN_COMMAND = 7;
/** `<name>`: a plugin without a name, or one added twice. */
export const BAD_PLUGIN = 8;
/** `<name> <error>`: a plugin's hook threw; the plugin is switched off. */
export const PLUGIN_OFF = 9;
/** `<error>`: the tracker could not start; it stays inert. */
export const START_FAILED = 10;

// Events
/** `track()` without a type string. */
export const NO_TYPE = 11;
/** `<type>`: a type over 100 characters or with control characters, cut to the collector's rule. */
export const TYPE_CUT = 12;
/** `<type>`: a listener or plugin tracking in answer to events went 8 generations deep; this call is dropped. */
export const TOO_DEEP = 13;
/** `<transaction_id>`: a second `purchase` for a transaction already tracked; not sent. */
export const DUPLICATE = 14;
/** `<type> <plugin>`: a plugin's `beforeSend` returned `null`. */
export const DROPPED_BY = 15;
/** `identify()` with an id over 200 characters: cut. */
export const USER_ID_CUT = 16;
/** `<type>? <error>`: processing a recorded call threw. */
export const TRACK_FAILED = 17;

// Markup (`data-journey-*`)
/** `<key>`: a prop without a key, or a number prop (`price`, …) that is no number; left out. */
export const BAD_PROP = 18;
/** Over 50 props on one element; the rest are left out. */
export const TOO_MANY_PROPS = 19;
/** `data-journey-props` is not a JSON object. */
export const BAD_JSON_PROPS = 20;
/** `<error>`: reading an element's props threw. */
export const PROPS_FAILED = 21;
/** `<value>`: `data-journey-stage` is no stage. */
export const BAD_STAGE = 22;
/** `<error>`: reading the page's stage threw. */
export const STAGE_FAILED = 23;
/** `<attribute>`: a `data-journey-event` or `-view` with no type. */
export const EMPTY = 24;
/** `<attribute> <error>`: emitting an element's event threw. */
export const EMIT_FAILED = 25;
/** No IntersectionObserver in this browser: `data-journey-view` does nothing. */
export const NO_VIEWS = 26;
/** `<error>`: watching `data-journey-view` elements threw. */
export const VIEWS_FAILED = 27;

// Delivery
/** `<error>`: IndexedDB unavailable; events are kept in memory for this page. */
export const NO_STORAGE = 28;
/** `<status> <ms>`: a batch to send again later. */
export const RETRY = 29;
/** `<status> <n>`: a batch the collector refused (4xx); its events are dropped and counted. */
export const REFUSED = 30;
/** `<n>`: events dropped (over the queue cap, or unserialisable). */
export const DROPPED = 31;
/** The page broke `JSON.stringify`: stored events wait for a page where it works. */
export const JSON_BROKEN = 32;
/** `<error>`: a send round threw. */
export const FLUSH_FAILED = 33;
/** `<error>`: the leaving page's copy in localStorage could not be written. */
export const RESCUE_FAILED = 34;

// Anything else caught
/** `<what> <error>`: a method, teardown or plugin listener threw (it never reaches the page). */
export const FAILED = 35;
/** `<event name> <error>`: a listener of `on()` threw; the others still ran. */
export const LISTENER_FAILED = 36;
