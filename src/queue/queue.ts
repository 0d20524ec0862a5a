/**
 * Durable delivery: every event goes to IndexedDB before it is sent and leaves it only once a receiver said 2xx.
 * The parts, each in its file:
 *
 * - store.ts: the page's events in memory, their coalesced write to disk (disk.ts, IndexedDB), memory only when
 *   IndexedDB fails, the memory cap.
 * - loop.ts: the send loop while the page lives: rounds that apply the queue's caps and POST (post.ts) it in
 *   batches (batch.ts); retry.ts: which answers deliver, drop or retry, and how long to wait; lock.ts: one round
 *   at a time across tabs.
 * - leave.ts: the leaving page's write, beacons and rescue copy in localStorage (rescue.ts).
 *
 * At-least-once: a lost beacon loses nothing, a delivered one is sent twice and the receiver drops the repeat by
 * `id`. Duplicates, then, are the events still pending when a page is left: those of its last second (loop.ts
 * EVERY; always its `page_leave`), plus a batch in flight at that moment, and only when the visitor opens another
 * page of the shop later. Measured in headless Chromium (test/browser/delivery.test.mjs): 2.0 copies per event
 * when 50 events are fired and the page is left in the same task (everything is pending: the worst case), 1.0
 * (none) for retries, offline, crash, two tabs and no-IndexedDB. A shop page of ~5–10 events viewed for more than
 * a second repeats about one (its `page_leave`). A tab whose events another tab delivered may beacon them again if
 * it leaves before its next round notices.
 */
import type { Log } from '../core/log';
import { listen } from '../transport/lifecycle';
import type { JourneyEvent } from '../types';
import { createLeave } from './leave';
import { createLoop } from './loop';
import { take } from './rescue';
import { createStore, HELD, OFF } from './store';

export interface Delivery {
  /** Queue the event: a Map.set and a counter; written within 50 ms (store.ts), sent within 1 s (loop.ts). Never throws. */
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
  /** Cap in events, default 10,000 (the byte cap is loop.ts's MAX_CHARS). */
  maxQueue?: number;
}

export const createDelivery = (o: DeliveryOptions): Delivery => {
  // Size trick: NOINLINE keeps each part one function in the script tag; inlined here they cost 13 B more (brotli).
  const store = /*#__NOINLINE__*/ createStore(o);
  const loop = /*#__NOINLINE__*/ createLoop(o, store);
  const leave = /*#__NOINLINE__*/ createLeave(o, store);
  const push = (e: JourneyEvent) => {
    store._stop & OFF || (store._add(e) && loop._fresh());
  };
  /** Start-up (or consent given): what an earlier page rescued joins the queue. */
  const adopt = () => {
    try {
      for (const e of take()) e && typeof e.id == 'string' && push(e);
    } catch {}
  };
  const unlisten = listen(window, 'online', loop._online);
  // Start-up: send what earlier pages left, right away (a timer, so this page's first events join the batch).
  if (!store._stop) adopt(), loop._soon(0);

  return {
    push,
    flush: (leaving) => (leaving ? leave() : loop._run()),
    release() {
      if (store._stop != HELD) return;
      store._release();
      adopt();
      loop._soon(0);
    },
    erase() {
      loop._stop();
      try {
        take();
      } catch {}
      return store._erase();
    },
    destroy() {
      if (store._stop & OFF) return;
      store._save();
      store._stop |= OFF;
      loop._stop();
      unlisten();
    },
  };
};
