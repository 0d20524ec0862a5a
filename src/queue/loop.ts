import type { Log } from '../core/log';
import { pluck } from '../core/safe';
import { json } from '../transport/batch';
import { batches, frame, item, keysOf, room, shrink, type Item } from './batch';
import { locked } from './lock';
import { post } from './post';
import { backoff, ok, refused } from './retry';
import type { Store } from './store';

/**
 * The send loop while the page lives. A round (under the cross-tab lock) reads the whole stored queue, applies the
 * caps, POSTs it in batches with fetch and deletes what was answered 2xx. Rounds are timers: EVERY ms after the
 * first pending event, at once when BATCH events are pending, never before a backoff or Retry-After ends.
 */
export interface Loop {
  /** A round now (or right after the one running); resolves once it is over. Never rejects. */
  _run(): Promise<void>;
  /** A timer-driven round `ms` from now, never before the retry wait; an earlier request moves it forward. */
  _soon(ms: number): void;
  /** An event was added: schedule its round. */
  _fresh(): void;
  /** Back online: the retry wait is over. */
  _online(): void;
  /** No timer-driven round. */
  _stop(): void;
}

const EVERY = 1e3; // ms from the first pending event to its send
const BATCH = 100; // pending events that make a batch worth sending now
const MAX_CHARS = 5e6; // byte cap of the queue, counted in JSON characters
const PAUSE = 500; // events serialised per task in a round

export const createLoop = (o: { endpoint: string; site: string; log: Log }, m: Store): Loop => {
  const { endpoint: url, site, log } = o;
  const space = room(site);
  let fresh = 0; // added since the last round started
  let tries = 0; // failed rounds in a row; per page, so a new page sends leftovers at once
  let until = 0; // no timer-driven round before this (backoff, Retry-After)
  let ts: any;
  let tsAt = 0;
  let running: Promise<void> | undefined;
  let again = false;

  const stop = () => {
    clearTimeout(ts);
    ts = 0;
  };

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
    if (m._stop) return false;
    const d = m._dropped;
    const [st, ra] = await post(
      url,
      frame(
        site,
        pluck(b, (x) => x._s),
        d,
      ),
    );
    if (ok(st)) {
      m._dropped -= d;
      tries = until = 0;
    } else {
      if (st == 413) {
        const h = b.length >> 1;
        if (h) return (await send(b.slice(0, h))) && send(b.slice(h));
        const x = b[0];
        // A single event too large for the receiver: cut once, then refused like any other.
        if (!x._t) return (shrink(x), send(b));
      }
      if (!refused(st)) {
        until = Date.now() + backoff(++tries, ra);
        log('retry', st, until - Date.now());
        soon(0);
        return false;
      }
      log('refused', st, b.length);
      m._dropped += b.length;
    }
    await m._forget(keysOf(b));
    return true;
  };

  const round = async () => {
    stop();
    fresh = 0;
    m._sent.clear();
    const list = await m._read();
    const items: Item[] = [];
    const bad: string[] = [];
    let chars = 0;
    let c = 0;
    for (const [k, e] of list) {
      const x = item(k, e, space);
      x ? items.push(x) && (chars += x._c) : bad.push(k);
      // Serialising 10,000 in one go is a long task: let the page in every PAUSE events.
      if (++c % PAUSE == 0) await new Promise((r) => setTimeout(r));
    }
    // Caps: drop the oldest first.
    let i = 0;
    while (items.length - i > m._max || chars > MAX_CHARS) chars -= items[i++]._c;
    // JSON itself is broken on this page (patched): keep everything on disk for a page where it works.
    if (bad.length && json([0]) != '[0]') return log('JSON broken');
    if (bad.length + i) {
      log('dropped', bad.length + i);
      m._dropped += bad.length + i;
      await m._forget(bad.concat(keysOf(items.slice(0, i))));
    }
    for (const b of batches(items, space, i)) if (!(await send(b))) return;
  };

  /** One round at a time in this tab (requests during a round fold into one more), one tab at a time (the lock). */
  const run = (): Promise<void> => {
    if (m._stop) return Promise.resolve();
    again = true;
    return (running =
      running ||
      (async () => {
        while (again) {
          again = false;
          await locked(round).catch((e) => log('flush', e));
        }
        running = undefined;
      })());
  };

  return {
    _run: run,
    _soon: soon,
    _fresh() {
      if (++fresh == BATCH) soon(0);
      else if (!ts) soon(EVERY);
    },
    _online() {
      until = 0;
      run();
    },
    _stop: stop,
  };
};
