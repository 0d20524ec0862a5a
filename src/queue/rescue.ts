import type { Log } from '../lib/log';
import { pluck } from '../lib/safe';
import { json } from '../lib/json';
import type { JourneyEvent } from '../types';
import type { Entry } from './disk';
import { RESCUE_FAILED } from '../lib/codes';

/**
 * The leaving page's rescue copy. A write started at leave may never land: WebKit drops an IndexedDB write begun
 * at pagehide; in Chromium a page left before the first lazy open finished loses it; Firefox aborts the pagehide
 * script of a closed tab when it shuts the tab's process down (see the tracker's two pagehide listeners). So a
 * leaving page also copies its events not confirmed on disk synchronously to localStorage under KEY, and the next
 * page moves them into its queue. They may also have been beaconed or written: receivers drop repeats by `id`.
 */
const KEY = 'journey:rescue';
const MAX = 65536; // characters: a small share of the shop's localStorage quota

const read = (s: string | null): JourneyEvent[] => JSON.parse(s || '[]');

/** What pages left under KEY, the key removed first (a broken one too). Throws when localStorage does. */
export const take = (): JourneyEvent[] => {
  const ls = localStorage;
  const s = ls.getItem(KEY);
  ls.removeItem(KEY);
  return read(s);
};

/** Leaving: `l` joins what other tabs (or our earlier leave) left there, once per id, newest kept up to MAX. */
export const rescue = (l: Entry[], log: Log): void => {
  try {
    const mine = new Set(pluck(l, (r) => r[1].id));
    const a: JourneyEvent[] = [];
    // Read, not taken: if our write below fails, what other tabs left there stays.
    for (const e of read(localStorage.getItem(KEY))) if (!mine.has(e?.id)) a.push(e);
    for (const r of l) a.push(r[1]);
    const parts: string[] = [];
    for (let i = a.length, n = 2, s; i--; parts.unshift(s)) if (!(s = json(a[i])) || (n += s.length + 1) > MAX) break;
    localStorage.setItem(KEY, '[' + parts + ']');
  } catch (e) {
    log(RESCUE_FAILED, e);
  }
};
