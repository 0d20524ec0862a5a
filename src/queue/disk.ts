import { pluck } from '../lib/safe';
import { createStore as idbStore, promisifyRequest } from 'idb-keyval';
import type { JourneyEvent } from '../types';

/**
 * The durable queue on disk: one IndexedDB store of its own, opened lazily on first use (idb-keyval).
 * Key = format prefix + event id. The prefix versions the stored format: a newer tracker reads `1:` records
 * as it knows them; an older one skips prefixes it does not know (and never deletes them). ULIDs are time
 * first, so key order is age order and `entries()` hands back the oldest first.
 */
export const P = '1:';
export const DB = 'journey-tracker';
const PAGE = 500;

export type Entry = [string, JourneyEvent];

export interface Disk {
  _put(e: Entry[]): Promise<void>;
  /** This format's records, oldest first. */
  _all(): Promise<Entry[]>;
  _del(keys: string[]): Promise<void>;
  _clear(): Promise<void>;
}

// A blocked or wedged open (seen in Firefox private windows and with a stuck upgrade) never settles:
// give up after a while so the caller falls back to memory instead of waiting forever.
const within = <T>(p: Promise<T>): Promise<T> => Promise.race([p, new Promise<T>((_, no) => setTimeout(no, 5e3, 'timeout'))]);

/** Every call rejects (never throws) when IndexedDB is missing, blocked, over quota or broken. */
export const createDisk = (): Disk => {
  // Lazy: idb-keyval opens the database on the first call, which can throw (sandboxed frames).
  const store = idbStore(DB, 'events');
  // async: a throw becomes a rejection, and the call still starts in the caller's task.
  const run = async <T>(fn: (s: typeof store) => Promise<T>): Promise<T> => within(fn(store));
  // One readwrite transaction for put, delete and clear (idb-keyval's setMany/delMany/clear would also bundle its
  // default store), plus commit(): Chromium commits an auto-committing transaction only after the page has seen
  // its requests succeed, which a page being unloaded never does, so a write started at pagehide was lost.
  // commit() (Chrome 76+, Firefox 74+, Safari 15+) lets the browser finish it without the page.
  const write = (fn: (o: IDBObjectStore) => void) =>
    run((s) =>
      s('readwrite', (o) => {
        fn(o);
        const t = o.transaction;
        t.commit?.();
        return promisifyRequest(t);
      }),
    );
  return {
    _put: (e) => write((o) => pluck(e, (r) => o.put(r[1], r[0]))),
    // In pages of PAGE records, each its own task: reading 10,000 in one getAll() is a ~60 ms long task.
    _all: () =>
      run(async (s) => {
        const out: Entry[] = [];
        for (let lo = P, k: string[] = [], v: JourneyEvent[]; ; ) {
          const r = IDBKeyRange.bound(lo, P + '\uffff', !!k.length);
          [k, v] = await s(
            'readonly',
            (o) => Promise.all([promisifyRequest(o.getAllKeys(r, PAGE)), promisifyRequest(o.getAll(r, PAGE))]) as any,
          );
          for (let i = 0; i < k.length; i++) v[i] && out.push([k[i], v[i]]);
          if (k.length < PAGE) return out;
          lo = k[k.length - 1];
        }
      }),
    _del: (k) => write((o) => pluck(k, (key) => o.delete(key))),
    _clear: () => write((o) => o.clear()),
  };
};

/** Whether our database exists; without indexedDB.databases() (Firefox < 126) assume it does. */
export const exists = async (): Promise<unknown> => {
  try {
    return (await indexedDB.databases()).some((d) => d.name == DB);
  } catch {
    return 1;
  }
};
