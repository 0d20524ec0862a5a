import { pluck } from '../lib/safe';
import { json } from '../lib/json';
import type { JourneyEvent } from '../types';

/** Most bytes one POST body may have (README, "The wire format"). */
export const LIMIT = 6e4;

/**
 * UTF-8 length without allocating: 1 byte per ASCII unit, 2 up to U+07FF, 3 above. A surrogate pair counts
 * 6 instead of 4: an over-estimate, which is the safe side of a size limit.
 */
export const bytes = (s: string): number => {
  let n = s.length;
  for (let i = n; i--; ) {
    const c = s.charCodeAt(i);
    if (c > 127) n += c > 2047 ? 2 : 1;
  }
  return n;
};

/** One batch body. Events arrive as JSON already: each is serialised once per flush. */
export const frame = (site: string, events: string[], dropped: number): string =>
  // `[' + events + ']'` joins the array with commas (size trick, not a bug).
  '{"v":1,"site":' +
  json(site) +
  ',"sent_at":' +
  Date.now() +
  ',"events":[' +
  events +
  ']' +
  (dropped ? ',"dropped":' + dropped : '') +
  '}';

/** Room left for events in a batch of `site`, leaving space for the frame and the largest `dropped`. */
export const room = (site: string): number => LIMIT - bytes(frame(site, [], 1e9));

/**
 * Makes an event too big for any batch fit: strings cut to 500 characters and only the small props kept,
 * up to ~5,000 characters of them (scalars like `transaction_id` and `value` survive, long `items` do not).
 * Worst case, every character 3 bytes, that is well under LIMIT.
 */
export const cut = (e: JourneyEvent): JourneyEvent => {
  const c: any = { ...e, props: {}, truncated: true };
  let left = 5e3;
  for (const k in c) if (typeof c[k] == 'string') c[k] = c[k].slice(0, 500);
  for (const k in e.props) {
    const n = k.length + ((json(e.props[k]) || '').length || 9e9);
    if (n < left) (left -= n), (c.props[k] = e.props[k]);
  }
  return c;
};

/** An event on its way out: key, event, JSON sent, its bytes, JSON length as stored (for caps), cut already. */
export type Item = { _k: string; _e: JourneyEvent; _s: string; _n: number; _c: number; _t?: 1 };

/** `x` cut (cut()) and marked so: once too big for any batch, or refused as too large alone (413). */
export const shrink = (x: Item): Item => ((x._t = 1), (x._s = json(cut(x._e))!), (x._n = bytes(x._s)), x);

/** `undefined` when the event cannot be serialised; cut when too big for any batch, so it never blocks one. */
export const item = (k: string, e: JourneyEvent, space: number): Item | undefined => {
  const s = json(e);
  if (s) {
    const x: Item = { _k: k, _e: e, _s: s, _n: bytes(s), _c: s.length };
    return x._n > space ? shrink(x) : x;
  }
};

/** `l` from `i` on, in batches of as many items as fit in `space` bytes (item() made each fit alone). */
export const batches = (l: Item[], space: number, i = 0): Item[][] => {
  const out: Item[][] = [];
  // n counts a comma after each event: one more than the body has.
  for (let j = i; i < l.length; out.push(l.slice(i, (i = j))))
    for (let n = 0; j < l.length && n + l[j]._n <= space; ) n += l[j++]._n + 1;
  return out;
};

/** The queue keys of batch `b`. */
export const keysOf = (b: Item[]): string[] => pluck(b, (x) => x._k);
