import type { Log } from '../core/log';
import { pluck } from '../core/safe';
import type { JourneyEvent } from '../types';
import { createDisk, exists, P, type Entry } from './disk';

/**
 * The page's side of the queue: its own undelivered events in memory, their coalesced write to disk, and memory
 * only when IndexedDB is missing, blocked, over quota or throwing (`dead`): then `_own` is the queue for the rest
 * of the page. Caps drop the oldest first; the count goes out as the next delivered batch's `dropped`.
 */
export interface Store {
  /**
   * This page's undelivered events, oldest first: the memory fallback, what a leaving page beacons, and while
   * consent is pending (HELD) the events held in memory only.
   */
  _own: Map<string, JourneyEvent>;
  /** Keys beaconed by this leaving page: a second hidden/pagehide must not send them again. */
  _sent: Set<string>;
  /**
   * HELD (consent pending: keep events in memory only, store nothing, send nothing) and OFF (destroyed) as bits:
   * whenever it is not 0 nothing goes out (one flag read instead of two, a size trick).
   */
  _stop: number;
  /** Events lost (caps, refusals) and not yet reported as a delivered batch's `dropped`. */
  _dropped: number;
  /** Cap in events. */
  _max: number;
  /** Keep `e`; true when it is to be sent (not held), its write then WRITE ms away at most. */
  _add(e: JourneyEvent): boolean;
  /** The coalesced write of what was added since the last one, after the writes before it. */
  _save(): Promise<unknown>;
  /** Leaving: everything not yet on disk, in one transaction started now; returns those events. */
  _now(): Entry[];
  /** Writes what is pending, then reads what to send: the stored queue, or `_own` without IndexedDB. */
  _read(): Promise<Iterable<Entry>>;
  /** Delivered or dropped: out of memory and off the disk. */
  _forget(keys: string[]): unknown;
  /** Consent given: everything held is written with the next save. */
  _release(): void;
  /** Consent refused: hold again, drop everything held, and clear the disk. */
  _erase(): Promise<void>;
}

export const HELD = 1;
export const OFF = 2;
const WRITE = 50; // ms: one transaction per burst, on disk well within 100 ms
const CHUNK = 500; // records per transaction: cloning 10,000 in one would be a long task

export const createStore = (o: { log: Log; hold: boolean; maxQueue?: number }): Store => {
  const { log } = o;
  const disk = createDisk();
  const own = new Map<string, JourneyEvent>();
  /** Keys of `own` known to be on disk (to notice another tab delivered them). */
  const saved = new Set<string>();
  let w: string[] = []; // keys waiting for the coalesced write
  let tw: any;
  let dead: unknown;
  let wrote: unknown;
  let saving: Promise<unknown> = Promise.resolve();

  const memOnly = (e: unknown) => {
    dead = 1;
    log('no storage', e);
  };
  // async: the put still starts in the caller's task (a leaving page's write).
  const write = async (l: Entry[]) => {
    if (!dead) {
      wrote = 1;
      await disk._put(l);
      pluck(l, (r) => saved.add(r[0]));
    }
  };
  /** The keys waiting for the write, taken, and its timer stopped. */
  const waiting = () => {
    const l = w;
    clearTimeout(tw);
    tw = 0;
    w = [];
    return l;
  };
  const save = (): Promise<unknown> => {
    const list: Entry[] = [];
    for (const k of waiting()) {
      const e = own.get(k);
      if (e) list.push([k, e]);
    }
    for (let i = 0; i < list.length; i += CHUNK) {
      const c = list.slice(i, i + CHUNK);
      saving = saving.then(() => write(c));
    }
    return (saving = saving.catch(memOnly));
  };

  const m: Store = {
    _own: own,
    _sent: new Set(),
    _stop: o.hold ? HELD : 0,
    _dropped: 0,
    _max: o.maxQueue || 1e4,
    _add(e) {
      const k = P + e.id;
      own.set(k, e);
      // Memory is capped too. What is on disk stays (the round's cap applies to it): count only what never got there.
      if (own.size > m._max) {
        const old = own.keys().next().value!;
        own.delete(old);
        if (!saved.has(old)) m._dropped++;
      }
      // Held: neither written nor sent until release.
      if (m._stop) return false;
      w.push(k);
      tw = tw || setTimeout(save, WRITE);
      return true;
    },
    _save: save,
    _now() {
      // One transaction started now: a write queued behind one in flight would never start once the page is gone
      // (seen in Chromium).
      waiting();
      const l: Entry[] = [];
      for (const r of own) saved.has(r[0]) || l.push(r);
      if (l.length) write(l).catch(memOnly);
      return l;
    },
    async _read() {
      await save();
      const chk = [...saved];
      const list = dead ? 0 : await disk._all().catch(memOnly);
      if (list) {
        // Saved before the read and not in it: another tab delivered them.
        const seen = new Set(pluck(list, (r) => r[0]));
        for (const k of chk) if (!seen.has(k)) own.delete(k), saved.delete(k);
      }
      return list || own;
    },
    _forget(keys) {
      for (const k of keys) own.delete(k), saved.delete(k);
      // Awaited inside the lock: the next tab must not read what we just delivered.
      return dead ? 0 : disk._del(keys).catch(() => {});
    },
    _release() {
      m._stop = 0;
      // All of `own` was held: none of it is on disk.
      w = [...own.keys()];
    },
    async _erase() {
      m._stop |= HELD;
      m._dropped = 0;
      own.clear();
      saved.clear();
      waiting();
      await saving;
      // A page that never wrote clears only a database that exists: a refusal must not create one.
      if (wrote || (await exists())) await disk._clear().catch(() => {});
    },
  };
  return m;
};
