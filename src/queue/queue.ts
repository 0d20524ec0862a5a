/**
 * Durable delivery: every event goes to IndexedDB before it is sent and leaves it only once a receiver said 2xx.
 * This file is the queue's state and its three paths, top to bottom: the store (memory, coalesced write), the send
 * loop (rounds while the page lives) and the leaving page (write now, rescue copy, beacons). The parts it composes
 * are files of their own: disk.ts (IndexedDB), batch.ts (bodies), post.ts (fetch, beacon), retry.ts (which answers
 * deliver, drop or retry, and the backoff), lock.ts (one round at a time across tabs), rescue.ts (the localStorage
 * copy of a leaving page).
 *
 * At-least-once: a lost beacon loses nothing, a delivered one is sent twice and the receiver drops the repeat by
 * `id`. Duplicates, then, are the events still pending when a page is left: those of its last EVERY ms (always its
 * `page_leave`), plus a batch in flight at that moment, and only when the visitor opens another page of the shop
 * later. Measured in headless Chromium (test/browser/delivery.test.mjs): 2.0 copies per event when 50 events are
 * fired and the page is left in the same task (everything is pending: the worst case), 1.0 (none) for retries,
 * offline, crash, two tabs and no-IndexedDB. A shop page of ~5–10 events viewed for more than a second repeats
 * about one (its `page_leave`). A tab whose events another tab delivered may beacon them again if it leaves before
 * its next round notices.
 */
import type { Log } from '../lib/log';
import { DROPPED, FLUSH_FAILED, JSON_BROKEN, NO_STORAGE, REFUSED, RETRY } from '../lib/codes';
import { pluck } from '../lib/safe';
import { json } from '../lib/json';
import { listen } from '../lib/listen';
import type { JourneyEvent } from '../types';
import { batches, bytes, frame, item, keysOf, room, shrink, type Item } from './batch';
import { createDisk, exists, P, type Entry } from './disk';
import { locked } from './lock';
import { beacon, post } from './post';
import { rescue, take } from './rescue';
import { backoff, ok, refused } from './retry';

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
const CHUNK = 500; // records per transaction: cloning 10,000 in one would be a long task
const EVERY = 1e3; // ms from the first pending event to its send
const BATCH = 100; // pending events that make a batch worth sending now
const MAX_CHARS = 5e6; // byte cap of the queue, counted in JSON characters
const PAUSE = 500; // events serialised per task in a round
const QUOTA = 65536; // keepalive + beacon bytes a page may have in flight (Chromium, Firefox)

export const createDelivery = (o: DeliveryOptions): Delivery => {
  const { endpoint: url, site, log } = o;
  const max = o.maxQueue || 1e4;
  const disk = createDisk();
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
  let dead: unknown; // IndexedDB failed: `own` is the queue for the rest of this page
  let wrote: unknown;
  let dropped = 0;
  let fresh = 0; // pushed since the last round started
  let tries = 0; // failed rounds in a row; per page, so a new page sends leftovers at once
  let until = 0; // no timer-driven round before this (backoff, Retry-After)
  let inflight = 0; // keepalive + beacon bytes
  let tw: any;
  let ts: any;
  let tsAt = 0;
  let saving: Promise<unknown> = Promise.resolve();
  let running: Promise<void> | undefined;
  let again = false;

  // The store: memory first, then one coalesced write; memory only once IndexedDB fails.

  const memOnly = (e: unknown) => {
    dead = 1;
    log(NO_STORAGE, e);
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
  /** The coalesced write of what was pushed since the last one, after the writes before it. */
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
  const forget = (keys: string[]) => {
    for (const k of keys) own.delete(k), saved.delete(k);
    // Awaited inside the lock: the next tab must not read what we just delivered.
    return dead ? 0 : disk._del(keys).catch(() => {});
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
  /** Start-up (or consent given): what an earlier page rescued joins the queue. */
  const adopt = () => {
    try {
      for (const e of take()) e && typeof e.id == 'string' && push(e);
    } catch {}
  };

  // The send loop: a round reads the whole stored queue under the cross-tab lock, applies the caps, POSTs it in
  // batches and deletes what was answered 2xx.

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
    } else {
      if (st == 413) {
        const h = b.length >> 1;
        if (h) return (await send(b.slice(0, h))) && send(b.slice(h));
        // A single event too large for the receiver: cut once, then refused like any other.
        if (!b[0]._t) return (shrink(b[0]), send(b));
      }
      if (!refused(st)) {
        until = Date.now() + backoff(++tries, ra);
        log(RETRY, st, until - Date.now());
        soon(0);
        return false;
      }
      log(REFUSED, st, b.length);
      dropped += b.length;
    }
    await forget(keysOf(b));
    return true;
  };

  const round = async () => {
    clearTimeout(ts);
    ts = fresh = 0;
    sent.clear();
    await save();
    const chk = [...saved];
    const list = dead ? 0 : await disk._all().catch(memOnly);
    if (list) {
      // Saved before the read and not in it: another tab delivered them.
      const seen = new Set(pluck(list, (r) => r[0]));
      for (const k of chk) if (!seen.has(k)) own.delete(k), saved.delete(k);
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
    if (bad.length && json([0]) != '[0]') return log(JSON_BROKEN);
    if (bad.length + i) {
      log(DROPPED, bad.length + i);
      dropped += bad.length + i;
      await forget(bad.concat(keysOf(items.slice(0, i))));
    }
    for (const b of batches(items, space, i)) if (!(await send(b))) return;
  };

  /** One round at a time per tab (more requests fold into one more round), and one tab at a time (the lock). */
  const run = (): Promise<void> => {
    if (hold || off) return Promise.resolve();
    again = true;
    return (running =
      running ||
      (async () => {
        while (again) {
          again = false;
          await locked(round).catch((e) => log(FLUSH_FAILED, e));
        }
        running = undefined;
      })());
  };

  // The leaving page cannot wait for a lock or an answer: it writes what is not on disk yet in one transaction
  // started now, copies the same events to the rescue key, beacons what it created that is still undelivered,
  // and deletes nothing (a beacon's outcome is unknown; the next round or page sends them again).

  const leave = () => {
    if (hold || off) return;
    // A write queued behind one in flight would never start once the page is gone (seen in Chromium).
    waiting();
    const l: Entry[] = [];
    for (const r of own) saved.has(r[0]) || l.push(r);
    if (l.length) write(l).catch(memOnly), rescue(l, log);
    const items: Item[] = [];
    let chars = 0;
    // Serialise only what can fit in the quota (characters ≤ bytes): not 10,000 events for 64 KiB of beacons.
    for (const [k, e] of own) {
      if (chars > QUOTA - inflight) break;
      const x = !sent.has(k) && item(k, e, space);
      x && items.push(x) && (chars += x._c);
    }
    for (const b of batches(items, space)) {
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

  const unlisten = listen(window, 'online', () => {
    until = 0;
    run();
  });
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
      waiting();
      dropped = 0;
      clearTimeout(ts);
      ts = 0;
      try {
        take();
      } catch {}
      await saving;
      // A page that never wrote clears only a database that exists: a refusal must not create one.
      if (wrote || (await exists())) await disk._clear().catch(() => {});
    },
    destroy() {
      if (off) return;
      save();
      off = true;
      clearTimeout(ts);
      unlisten();
    },
  };
};
