/**
 * Durable delivery: every event goes to IndexedDB before it is sent and leaves it only once a receiver said 2xx.
 *
 * - push() is a Map.set and a counter: the write is coalesced (one transaction per burst, WRITE ms later) and
 *   the send is a timer (EVERY ms after the first pending event, at once when BATCH events are pending).
 * - A live send ("round") runs under one Web Lock shared by all tabs of the origin: it reads the whole stored
 *   queue, POSTs it in batches with fetch, and deletes what was answered 2xx before releasing the lock. The
 *   next tab to get the lock therefore only sees undelivered events: two live tabs never send the same one.
 *   Without Web Locks (Safari < 15.4) tabs may race and send an event twice; ids keep that harmless.
 * - A leaving page (hidden/pagehide) cannot wait for a lock or an answer. It writes what is not on disk yet in
 *   one transaction committed at once, beacons the events it created that are still undelivered, and deletes
 *   nothing: a beacon's outcome is unknown, so those events stay stored and the next round (this page if it
 *   comes back, else the shop's next page, at once) sends them again. At-least-once: a lost beacon loses
 *   nothing, a delivered one is sent twice and the receiver drops the repeat by `id`. When a keepalive fetch
 *   stands in for a refused beacon and the page lives to read its 2xx, the events are deleted, not repeated.
 * - Duplicates, then, are the events still pending when a page is left: those of its last EVERY ms (always
 *   its `page_leave`), plus a batch in flight at that moment, and only when the visitor opens another page of
 *   the shop later. Measured in headless Chromium (test/browser/delivery.test.mjs): 2.0 copies per event
 *   when 50 events are fired and the page is left in the same task (everything is pending: the worst case),
 *   1.0 (none) for retries, offline, crash, two tabs and no-IndexedDB. A shop page of ~5–10 events viewed for
 *   more than a second repeats about one (its `page_leave`). A tab whose events another tab delivered may
 *   beacon them again if it leaves before its next round notices.
 * - Rescue: a write started at leave may never land (WebKit drops an IndexedDB write begun at pagehide; in
 *   Chromium a page left before the first lazy open finished loses it; Firefox aborts the pagehide script of
 *   a closed tab when it shuts the tab's process down, see the tracker's two pagehide listeners). So a leaving
 *   page also writes the events of its own that are not confirmed on disk
 *   synchronously to localStorage under RESCUE (merged with what other tabs left there, newest kept, at most
 *   RESCUE_MAX characters; never while consent is pending), and the next page moves that key's events into its
 *   queue and deletes it. They may also have been beaconed or written: receivers drop repeats by `id`.
 * - IndexedDB missing, blocked, over quota or throwing: `dead`, and the page's own events in memory (`own`,
 *   kept anyway for beacons) become the queue. Caps (events, JSON characters) drop the oldest first and the
 *   count goes out as the next delivered batch's `dropped`.
 */
import { pluck } from '../lib/safe';
import type { Log } from '../lib/log';
import type { JourneyEvent } from '../types';
import { createStore, DB, P, type Entry } from './store';
import { bytes, cut, fit, frame, item, room, type Item } from '../transport/batch';
import { json } from '../lib/json';
import { backoff, beacon, post } from '../transport/send';

export interface Delivery {
  /** Queue the event: a Map.set and a counter; written within WRITE ms, sent within EVERY ms. Never throws. */
  push(event: JourneyEvent): void;
  /** Send what is stored: fetch with retries (default), or beacons for a page going away (`leaving`). Never rejects. */
  flush(leaving?: boolean): Promise<void>;
  /** Consent granted after being pending: held events are stored and sent, and so is everything after. */
  release(): void;
  /** Consent refused: drop held events, erase the stored queue, and hold (memory only) until release(). */
  erase(): Promise<void>;
  destroy(): void;
}

export interface DeliveryOptions {
  endpoint: string;
  site: string;
  log: Log;
  /** Consent pending: keep events in memory only, store nothing, send nothing. */
  hold: boolean;
  /** Cap in events, default 10,000 (the byte cap is MAX_CHARS). */
  maxQueue?: number;
}

const WRITE = 50; // ms: one transaction per burst, on disk well within 100 ms
const EVERY = 1e3; // ms from the first pending event to its send
const BATCH = 100; // pending events that make a batch worth sending now
const MAX_CHARS = 5e6; // byte cap of the queue, counted in JSON characters
const CHUNK = 500; // records per transaction: cloning 10,000 in one would be a long task
const PAUSE = 500; // events serialised per task in a round
const QUOTA = 65536; // keepalive + beacon bytes a page may have in flight (Chromium, Firefox)
const LOCK = DB;
const RESCUE = 'journey:rescue';
const RESCUE_MAX = 65536; // characters: a small share of the shop's localStorage quota

/** Whether our database exists; without indexedDB.databases() (Firefox < 126) assume it does. */
const exists = (): Promise<unknown> => {
  try {
    return indexedDB.databases().then(
      (l) => l.some((d) => d.name == DB),
      () => 1,
    );
  } catch {
    return Promise.resolve(1);
  }
};

const ok = (st: number) => st > 199 && st < 300;
const keysOf = (b: Item[]) => pluck(b, (x) => x._k);

export const createDelivery = (o: DeliveryOptions): Delivery => {
  const { endpoint: url, site, log } = o;
  const max = o.maxQueue || 1e4;
  const store = createStore();
  const space = room(site);
  /**
   * This page's undelivered events, oldest first: the memory fallback, what a leaving page beacons, and while
   * consent is pending (`hold`) the events held in memory only.
   */
  const own = new Map<string, JourneyEvent>();
  /** Keys of `own` known to be on disk (to notice another tab delivered them). */
  const saved = new Set<string>();
  /** Keys beaconed by this leaving page: a second hidden/pagehide must not send them again. */
  const sent = new Set<string>();
  let w: string[] = []; // keys waiting for the coalesced write
  let hold = o.hold;
  let off = false;
  let dead = false; // IndexedDB failed: `own` is the queue for the rest of this page
  let dropped = 0;
  let fresh = 0; // pushed since the last round started
  let tries = 0; // failed rounds in a row; per page, so a new page sends leftovers at once
  let until = 0; // no timer-driven round before this (backoff, Retry-After)
  let inflight = 0; // keepalive + beacon bytes
  let tw: any,
    ts: any,
    tsAt = 0;
  let saving: Promise<unknown> = Promise.resolve();
  let running: Promise<void> | undefined;
  let again = false;

  const memOnly = (e: unknown) => {
    dead = true;
    log('no storage, memory only', e);
  };

  let wrote: 1 | undefined;
  const write = (l: Entry[]): unknown => dead || ((wrote = 1), store._put(l).then(() => pluck(l, (r) => saved.add(r[0]))));

  /** Leaving: this page's events not confirmed on disk go to localStorage at once, newest first up to the cap. */
  const rescue = (l: Entry[]) => {
    try {
      const ls = localStorage;
      // Another tab's (or our earlier leave's) first, then ours in order: newest last.
      const mine = new Set(pluck(l, (r) => r[1].id));
      const old = JSON.parse(ls.getItem(RESCUE) || '[]') as JourneyEvent[];
      const a: JourneyEvent[] = [];
      for (const e of old) if (!mine.has(e?.id)) a.push(e);
      for (const r of l) a.push(r[1]);
      const parts: string[] = [];
      for (let i = a.length, n = 2, s; i--; parts.unshift(s)) if (!(s = json(a[i])) || (n += s.length + 1) > RESCUE_MAX) break;
      ls.setItem(RESCUE, '[' + parts + ']');
    } catch (e) {
      log('rescue', e);
    }
  };

  /** Start-up (or consent given): what an earlier page rescued joins the queue. */
  const adopt = () => {
    try {
      const ls = localStorage;
      const a = JSON.parse(ls.getItem(RESCUE) || '[]');
      ls.removeItem(RESCUE);
      for (const e of a) e && typeof e.id == 'string' && push(e);
    } catch {}
  };

  /** The coalesced write of what was pushed since the last one, after the writes before it. */
  const save = (): Promise<unknown> => {
    clearTimeout(tw);
    tw = 0;
    const list: Entry[] = [];
    for (const k of w) {
      const e = own.get(k);
      if (e) list.push([k, e]);
    }
    w = [];
    for (let i = 0; i < list.length; i += CHUNK) {
      const c = list.slice(i, i + CHUNK);
      saving = saving.then(() => write(c));
    }
    return (saving = saving.catch(memOnly));
  };

  /** A timer-driven round `ms` from now, never before `until`; an earlier request moves it forward. */
  const soon = (ms: number) => {
    const at = Math.max(Date.now() + ms, until);
    if (!ts || at < tsAt) {
      clearTimeout(ts);
      tsAt = at;
      ts = setTimeout(() => {
        ts = 0;
        run();
      }, at - Date.now());
    }
  };

  const forget = (keys: string[]) => {
    for (const k of keys) own.delete(k), saved.delete(k);
    // Awaited inside the lock: the next tab must not read what we just delivered.
    return dead ? 0 : store._del(keys).catch(() => {});
  };

  /** POST one batch. true: go on with the next; false: stop, a retry is scheduled. */
  const send = async (b: Item[]): Promise<boolean> => {
    if (hold || off) return false;
    const d = dropped;
    const [st, ra] = await post(
      url,
      frame(
        site,
        pluck(b, (x) => x._s),
        d,
      ),
    );
    if (ok(st)) {
      dropped -= d;
      tries = until = 0;
      await forget(keysOf(b));
      return true;
    }
    if (st == 413) {
      const h = b.length >> 1;
      if (h) return (await send(b.slice(0, h))) && send(b.slice(h));
      const x = b[0];
      if (!x._t) return ((x._t = 1), (x._s = json(cut(x._e))!), send(b));
    }
    if (st > 399 && st < 500 && st != 408 && st != 429) {
      log('refused', st, b.length);
      dropped += b.length;
      await forget(keysOf(b));
      return true;
    }
    until = Date.now() + backoff(++tries, ra);
    log('retry', st, until - Date.now());
    soon(0);
    return false;
  };

  const round = async () => {
    clearTimeout(ts);
    ts = fresh = 0;
    sent.clear();
    await save();
    // biome-ignore lint/complexity/noUselessUndefinedInitialization: tsc (TS2454) needs it assigned before the read below
    let list: Entry[] | void = undefined;
    if (!dead) {
      const chk = [...saved];
      list = await store._all().catch(memOnly);
      if (list) {
        // Saved before the read and not in it: another tab delivered them.
        const seen = new Set(pluck(list, (r) => r[0]));
        for (const k of chk) if (!seen.has(k)) own.delete(k), saved.delete(k);
      }
    }
    const items: Item[] = [];
    const bad: string[] = [];
    let chars = 0;
    let c = 0;
    for (const [k, e] of list || own) {
      const x = item(k, e, space);
      x ? items.push(x) && (chars += x._c) : bad.push(k);
      // Serialising 10,000 in one go is a long task: let the page in every PAUSE events.
      if (++c % PAUSE == 0) await new Promise((r) => setTimeout(r));
    }
    // Caps: drop the oldest first.
    let i = 0;
    while (items.length - i > max || chars > MAX_CHARS) chars -= items[i++]._c;
    // JSON itself is broken on this page (patched): keep everything on disk for a page where it works.
    if (bad.length && json([0]) != '[0]') return log('JSON broken');
    if (bad.length + i) {
      log('dropped', bad.length + i);
      dropped += bad.length + i;
      await forget(bad.concat(keysOf(items.slice(0, i))));
    }
    for (let j; i < items.length; i = j) if (!(await send(items.slice(i, (j = fit(items, i, space)))))) return;
  };

  /** One round at a time per tab (more requests fold into one more round), and one tab at a time. */
  const run = (): Promise<void> => {
    if (hold || off) return Promise.resolve();
    again = true;
    return (running =
      running ||
      (async () => {
        while (again) {
          again = false;
          const locks = navigator.locks;
          let did = 0;
          // A lock manager that refuses (opaque origins) rejects without running the round: run it unlocked.
          await (locks ? locks.request(LOCK, () => ((did = 1), round())).catch((): unknown => did || round()) : round()).catch(
            (e) => log('flush', e),
          );
        }
        running = undefined;
      })());
  };

  /** The page is going away: start the write, beacon what this page created and nobody confirmed. */
  const leave = () => {
    if (hold || off) return;
    // Everything not yet on disk, in one transaction started now: a write queued behind one in flight
    // would never start once the page is gone (seen in Chromium).
    clearTimeout(tw);
    tw = 0;
    w = [];
    const l: Entry[] = [];
    let chars = 0;
    for (const r of own) saved.has(r[0]) || l.push(r);
    if (l.length) {
      Promise.resolve(write(l)).catch(memOnly);
      rescue(l);
    }
    const items: Item[] = [];
    // Serialise only what can fit in the quota (characters ≤ bytes): not 10,000 events for 64 KiB of beacons.
    for (const [k, e] of own) {
      if (chars > QUOTA - inflight) break;
      const x = !sent.has(k) && item(k, e, space);
      x && items.push(x) && (chars += x._c);
    }
    for (let i = 0, j; i < items.length; i = j) {
      const b = items.slice(i, (j = fit(items, i, space)));
      const body = frame(
        site,
        pluck(b, (x) => x._s),
        dropped,
      );
      const size = bytes(body);
      // What does not fit waits on disk for the next round or page.
      if (inflight + size > QUOTA) return;
      inflight += size;
      if (beacon(url, body)) setTimeout(() => (inflight -= size), 1e4);
      else
        post(url, body, true).then(([st]) => {
          inflight -= size;
          // The page lived to read the answer: no need to send these again.
          if (ok(st)) forget(keysOf(b));
        });
      pluck(b, (x) => sent.add(x._k));
      dropped = 0;
    }
  };

  const push = (e: JourneyEvent) => {
    if (off) return;
    const k = P + e.id;
    own.set(k, e);
    // Memory is capped too. What is on disk stays (the round's cap applies to it): count only what never got there.
    if (own.size > max) {
      const old = own.keys().next().value!;
      own.delete(old);
      if (!saved.has(old)) dropped++;
    }
    // Held: neither written nor sent until release().
    if (hold) return;
    w.push(k);
    tw = tw || setTimeout(save, WRITE);
    if (++fresh == BATCH) soon(0);
    else if (!ts) soon(EVERY);
  };

  const online = () => {
    until = 0;
    run();
  };
  try {
    addEventListener('online', online);
  } catch {}
  // Start-up: send what earlier pages left, right away (a timer, so this page's first events join the batch).
  if (!hold) adopt(), soon(0);

  return {
    push,
    flush: (leaving) => (leaving ? (leave(), Promise.resolve()) : run()),
    release() {
      if (!hold || off) return;
      hold = false;
      // All of `own` was held: none of it is on disk. The round below writes it first.
      w = [...own.keys()];
      adopt();
      soon(0);
    },
    async erase() {
      hold = true;
      own.clear();
      saved.clear();
      w = [];
      dropped = 0;
      clearTimeout(ts);
      clearTimeout(tw);
      ts = tw = 0;
      try {
        localStorage.removeItem(RESCUE);
      } catch {}
      await saving;
      // A page that never wrote clears only a database that exists: a refusal must not create one.
      if (wrote || (await exists())) await store._clear().catch(() => {});
    },
    destroy() {
      if (off) return;
      save();
      off = true;
      clearTimeout(ts);
      try {
        removeEventListener('online', online);
      } catch {}
    },
  };
};
