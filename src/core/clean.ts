import type { Props } from '../types';
import { scrubText } from './url';

/**
 * Turns whatever a page hands to `track()` into bounded, serialisable JSON: cycles, functions, symbols, DOM nodes
 * and throwing getters are dropped, BigInt becomes a string, strings are cut and scrubbed of personal data (but not
 * commerce ids), depth and width are capped, and all of it shares one budget, so shared references cannot
 * multiply it. Never throws.
 */
const MAX_DEPTH = 6;
const MAX_KEYS = 100;
const MAX_STRING = 1000;
// Characters for all props together, about their JSON length: ×3 (worst-case UTF-8) plus url, referrer and title
// stays under 60,000 bytes.
const BUDGET = 16e3;
// Commerce ids are never scrubbed (README, "The wire format").
const isId = (key: string) => key == 'item_id' || key == 'transaction_id';
// Keys known to need no cleaning: a shop sends the same few dozen keys over and over, and scrubbing each on every
// track() was a regex pass per key. Only keys left as they are (none holding personal data, none over 100
// characters), and bounded, so keys made of data (ids as keys) cannot grow it without end.
const CLEAN_KEYS = new Set<string>();
const CLEAN_KEYS_MAX = 500;

let left = 0;
/** Something was left out other than by the budget: a long string, a deep or wide object. */
let cut: boolean | undefined;
/**
 * The last props cut before they reached cleanProps (by the attributes' own limits): readProps() hands them
 * straight to emit(), so the last is the one. Compared by identity, which runs no Proxy trap of a page.
 */
let marked: unknown;

const value = (v: unknown, depth: number, seen: unknown[], id?: boolean): unknown => {
  // Every value spends (`true` and `[]` too): a tree of shared references cannot multiply the work.
  if ((left -= 2) < 0) return;
  switch (typeof v) {
    case 'string':
      if (v.length > MAX_STRING) (v = v.slice(0, MAX_STRING)), (cut = true);
      if (!id) v = scrubText(v as string);
      return (left -= (v as string).length + 1) < 0 ? undefined : v;
    case 'number':
      return (left -= 7) < 0 || !isFinite(v) ? undefined : v;
    case 'boolean':
      return v;
    case 'bigint':
      return value(String(v), depth, seen, id);
    case 'object':
      return v === null ? null : nested(v, depth, seen);
  }
};

// Apart from value(), which stays small for the common flat props (optimising compilers inline it).
const nested = (v: object, depth: number, seen: unknown[]): unknown => {
  if (depth > MAX_DEPTH) return void (cut = true);
  if (seen.includes(v) || typeof (v as Node).nodeType == 'number') return;
  seen.push(v);
  try {
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      if (v.length > MAX_KEYS) cut = true;
      for (let i = 0; i < v.length && i < MAX_KEYS; i++) {
        const item = value(v[i], depth + 1, seen);
        if (item !== undefined) out.push(item);
      }
      return out;
    }
    return object(v as Record<string, unknown>, depth + 1, seen);
  } finally {
    seen.pop();
  }
};

const object = (o: Record<string, unknown>, depth: number, seen: unknown[]): Props => {
  const out: Props = {};
  let n = 0;
  const keys = Object.keys(o);
  // An index loop: no iterator per object (this runs for every track()).
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    // Stop at the caps: an object of a million keys is not walked to its end.
    if (n >= MAX_KEYS || left < 0) return ((cut = true), out);
    // Keys become object keys again at the receiver: keep prototype-polluting names out.
    if (key == '__proto__' || key == 'constructor' || key == 'prototype') continue;
    try {
      let k = key;
      if (!CLEAN_KEYS.has(key)) {
        k = scrubText(key.slice(0, 100));
        if (k == key && CLEAN_KEYS.size < CLEAN_KEYS_MAX) CLEAN_KEYS.add(key);
      }
      // The key is paid first, so `left < 0` afterwards always means something was left out.
      left -= k.length + 3;
      const v = value(o[key], depth, seen, isId(key));
      if (v !== undefined) (out[k] = v), n++;
    } catch {
      // A getter that throws loses its own key only.
    }
  }
  return out;
};

/** `original`: the object `props` was copied from, if any; a cycle back to it is a cycle too. */
export const cleanProps = (props: unknown, original?: unknown): Props => {
  left = BUDGET;
  cut = false;
  try {
    // The root counts as seen: a cycle back to it is dropped like any other.
    return props && typeof props == 'object' && !Array.isArray(props)
      ? object(props as Record<string, unknown>, 0, [props, original])
      : {};
  } catch {
    return {};
  }
};

/** Marks props as cut already: cleaning them again says so. */
export const markCut = (p: Props): Props => (marked = p);

/**
 * Whether the last cleanProps() left something out (the event's `truncated: true`), or `props` (what it was given)
 * had been cut before.
 */
export const wasCut = (props?: unknown): boolean => left < 0 || !!cut || (!!props && props === marked);
