import type { Log } from '../core/log';
import { pluck } from '../core/safe';
import { batches, frame, bytes, item, keysOf, room, type Item } from './batch';
import { beacon, post } from './post';
import { rescue } from './rescue';
import { ok } from './retry';
import type { Store } from './store';

/**
 * The leaving page (hidden/pagehide) cannot wait for a lock or an answer. It writes what is not on disk yet in one
 * transaction committed at once, copies the same events to the rescue key, beacons the events it created that are
 * still undelivered, and deletes nothing: a beacon's outcome is unknown, so those events stay stored and the next
 * round (this page if it comes back, else the shop's next page, at once) sends them again. When a keepalive fetch
 * stands in for a refused beacon and the page lives to read its 2xx, the events are deleted, not repeated.
 */
const QUOTA = 65536; // keepalive + beacon bytes a page may have in flight (Chromium, Firefox)

export const createLeave = (o: { endpoint: string; site: string; log: Log }, m: Store): (() => Promise<void>) => {
  const { endpoint: url, site, log } = o;
  const space = room(site);
  let inflight = 0; // keepalive + beacon bytes
  // async for the caller's sake (flush returns a promise): without an await it all runs in the leaving task.
  return async () => {
    if (m._stop) return;
    const l = m._now();
    if (l.length) rescue(l, log);
    const items: Item[] = [];
    let chars = 0;
    // Serialise only what can fit in the quota (characters ≤ bytes): not 10,000 events for 64 KiB of beacons.
    for (const [k, e] of m._own) {
      if (chars > QUOTA - inflight) break;
      const x = !m._sent.has(k) && item(k, e, space);
      x && items.push(x) && (chars += x._c);
    }
    for (const b of batches(items, space)) {
      const text = frame(
        site,
        pluck(b, (x) => x._s),
        m._dropped,
      );
      const size = bytes(text);
      // What does not fit waits on disk for the next round or page.
      if (inflight + size > QUOTA) return;
      inflight += size;
      if (beacon(url, text)) setTimeout(() => (inflight -= size), 1e4);
      else
        post(url, text, true).then(([st]) => {
          inflight -= size;
          // The page lived to read the answer: no need to send these again.
          if (ok(st)) m._forget(keysOf(b));
        });
      pluck(b, (x) => m._sent.add(x._k));
      m._dropped = 0;
    }
  };
};
