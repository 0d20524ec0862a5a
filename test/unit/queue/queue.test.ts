import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDelivery, type Delivery } from '../../../src/queue/queue';
import type { JourneyEvent } from '../../../src/types';
import { elapse, ev, idle, offNavigator, onNavigator, seed, setup, storedKeys, type Endpoint } from './harness';
import { NO_STORAGE, REFUSED } from '../../../src/lib/codes';

let ep: Endpoint;
let live: Delivery[] = [];
const make = (o: Partial<Parameters<typeof createDelivery>[0]> = {}) => {
  const d = createDelivery({ endpoint: '/collect', site: 'my-shop', log: () => {}, hold: false, ...o });
  live.push(d);
  return d;
};
const pushAll = (d: Delivery, list: JourneyEvent[]) => list.forEach((e) => d.push(e));
const ids = (list: JourneyEvent[]) => list.map((e) => e.id);

beforeEach(() => {
  ep = setup();
});
afterEach(() => {
  live.forEach((d) => d.destroy());
  live = [];
  offNavigator('sendBeacon');
  offNavigator('locks');
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('batching', () => {
  it('writes a burst to IndexedDB within 100 ms, before anything is sent', async () => {
    const d = make();
    await elapse(0); // start-up round: nothing stored yet
    const list = [ev(), ev(), ev()];
    pushAll(d, list);
    await elapse(60);
    expect(await storedKeys()).toEqual(list.map((e) => '1:' + e.id));
    expect(ep.batches).toHaveLength(0);
  });

  it('sends pending events as one batch a short interval after the first, in order, as text', async () => {
    const d = make();
    await elapse(0);
    const list = [ev(), ev(), ev()];
    pushAll(d, list);
    await elapse(500);
    expect(ep.batches).toHaveLength(0);
    await elapse(600);
    expect(ep.batches).toHaveLength(1);
    const [b] = ep.batches;
    expect(b).toMatchObject({ v: 1, site: 'my-shop' });
    expect(b.sent_at).toBe(Date.now() - (Date.now() - b.sent_at)); // a number
    expect(typeof b.sent_at).toBe('number');
    expect(b).not.toHaveProperty('dropped');
    expect(ids(b.events)).toEqual(ids(list));
    expect(b.events[0]).toEqual(list[0]);
    expect(ep.inits[0]).toMatchObject({ method: 'POST' });
    expect(typeof ep.inits[0].body).toBe('string');
    expect(await storedKeys()).toEqual([]); // delivered: deleted
  });

  it('sends at once when a batch fills (100 events)', async () => {
    const d = make();
    await elapse(0);
    const list = Array.from({ length: 100 }, () => ev());
    pushAll(d, list.slice(0, 99));
    await elapse(10);
    expect(ep.batches).toHaveLength(0);
    d.push(list[99]);
    await elapse(10);
    expect(ep.ids()).toEqual(ids(list));
  });

  it('sends what an earlier page left at start-up, and skips records of unknown formats', async () => {
    const left = [ev(), ev()];
    const future = ev();
    await seed(left);
    await seed([future], '2:');
    make();
    await elapse(0);
    expect(ep.ids()).toEqual(ids(left));
    expect(await storedKeys()).toEqual(['2:' + future.id]); // not ours to send or delete
  });

  it('flush() sends now and resolves once delivered', async () => {
    const d = make();
    await elapse(0);
    const list = [ev(), ev()];
    pushAll(d, list);
    await d.flush();
    expect(ep.ids()).toEqual(ids(list));
    expect(await storedKeys()).toEqual([]);
  });
});

describe('size limits', () => {
  it('splits into bodies of at most 60,000 bytes, every event once, oldest first', async () => {
    const d = make();
    await elapse(0);
    // ~1.2 KB of multibyte text each: 300 of them need several batches
    const list = Array.from({ length: 300 }, (_, i) => ev({ note: 'ü€'.repeat(300) + i }));
    pushAll(d, list);
    await d.flush();
    expect(ep.batches.length).toBeGreaterThan(5);
    for (const init of ep.inits) expect(Buffer.byteLength(init.body as string)).toBeLessThanOrEqual(60_000);
    expect(ep.ids()).toEqual(ids(list));
  });

  it('cuts the props of a single oversized event, marks it truncated, and does not block the rest', async () => {
    const d = make();
    await elapse(0);
    const big = ev(
      { transaction_id: 'T-9', value: 42, items: Array.from({ length: 3000 }, (_, i) => ({ item_id: 'SKU-' + i })) },
      'purchase',
    );
    const rest = [ev(), ev()];
    pushAll(d, [big, ...rest]);
    await d.flush();
    const sent = ep.batches.flatMap((b) => b.events);
    expect(ids(sent)).toEqual(ids([big, ...rest]));
    expect(sent[0].truncated).toBe(true);
    expect(sent[0].props).toEqual({ transaction_id: 'T-9', value: 42 });
    expect(sent[1].truncated).toBeUndefined();
    for (const init of ep.inits) expect(Buffer.byteLength(init.body as string)).toBeLessThanOrEqual(60_000);
    expect(await storedKeys()).toEqual([]);
  });
});

describe('status handling', () => {
  for (const status of [500, 503, 408, 429, 0]) {
    it(`retries on ${status || 'network error'} with the same ids, keeping events stored until delivered`, async () => {
      vi.spyOn(Math, 'random').mockReturnValue(0);
      ep.reply = (_b, i) => (i == 0 ? status : 200);
      const d = make();
      await elapse(0);
      const list = [ev(), ev()];
      pushAll(d, list);
      await d.flush();
      expect(ep.batches).toHaveLength(1);
      expect(await storedKeys()).toHaveLength(2);
      await elapse(2000); // first backoff: 1 s, jitter 50-100 %
      expect(ep.batches).toHaveLength(2);
      expect(ids(ep.batches[1].events)).toEqual(ids(ep.batches[0].events));
      expect(ep.batches[1].events).toEqual(ep.batches[0].events);
      expect(await storedKeys()).toEqual([]);
    });
  }

  it('backs off exponentially while the endpoint keeps failing, then delivers', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    ep.reply = (_b, i) => (i < 5 ? 500 : 204);
    const d = make();
    await elapse(0);
    d.push(ev());
    await d.flush();
    const at: number[] = [Date.now()];
    while (ep.batches.length < 6) {
      const k = ep.batches.length;
      await elapse(250);
      if (ep.batches.length > k) at.push(Date.now());
    }
    const gaps = at.slice(1).map((t, i) => t - at[i]);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThanOrEqual(gaps[i - 1] * 1.5);
    expect(gaps[3]).toBeGreaterThanOrEqual(7000);
    expect(await storedKeys()).toEqual([]);
  });

  it('honours Retry-After even when the backoff is shorter', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    ep.reply = (_b, i) => (i == 0 ? new Response(null, { status: 503, headers: { 'Retry-After': '30' } }) : 204);
    const d = make();
    await elapse(0);
    d.push(ev());
    await d.flush();
    for (let t = 0; t < 29; t++) await elapse(1000);
    expect(ep.batches).toHaveLength(1);
    // a filling batch does not jump the wait either
    pushAll(
      d,
      Array.from({ length: 100 }, () => ev()),
    );
    await elapse(100);
    expect(ep.batches).toHaveLength(1);
    await elapse(1000);
    expect(ep.batches).toHaveLength(2);
    expect(ep.ids()).toHaveLength(1 + 1 + 100);
  });

  it('tries at once when the browser comes back online', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    ep.reply = (_b, i) => (i < 3 ? 0 : 204);
    const d = make();
    await elapse(0);
    d.push(ev());
    await d.flush();
    await elapse(1000);
    await elapse(2000); // third failure: next wait ~4 s
    expect(ep.batches).toHaveLength(3);
    dispatchEvent(new Event('online'));
    await elapse(0);
    expect(ep.batches).toHaveLength(4);
    expect(await storedKeys()).toEqual([]);
  });

  it('a new page sends leftovers at once, whatever the last page backoff was', async () => {
    ep.reply = () => 500;
    const a = make();
    await elapse(0);
    a.push(ev());
    await a.flush();
    a.destroy();
    const k = ep.batches.length;
    ep.reply = () => 204;
    make();
    await elapse(0);
    expect(ep.batches).toHaveLength(k + 1);
    expect(await storedKeys()).toEqual([]);
  });

  it('splits a batch answered 413 until it is accepted', async () => {
    ep.reply = (b) => (b.events.length > 2 ? 413 : 204);
    const d = make();
    await elapse(0);
    const list = Array.from({ length: 7 }, () => ev());
    pushAll(d, list);
    await d.flush();
    const ok = ep.batches.filter((b) => b.events.length <= 2);
    expect(ok.flatMap((b) => ids(b.events))).toEqual(ids(list));
    expect(await storedKeys()).toEqual([]);
  });

  it('a single event answered 413 is cut; if still refused it is dropped and counted', async () => {
    ep.reply = (b) => (b.events.some((e) => e.type == 'huge') ? 413 : 204);
    const d = make();
    await elapse(0);
    const huge = ev({ blob: 'x'.repeat(20_000), value: 1 }, 'huge');
    d.push(huge);
    await d.flush();
    expect(ep.batches.map((b) => b.events[0].truncated)).toEqual([undefined, true]);
    expect(ep.batches[1].events[0].props).toEqual({ value: 1 });
    expect(await storedKeys()).toEqual([]);
    d.push(ev());
    await d.flush();
    expect(ep.batches[2].dropped).toBe(1);
  });

  for (const status of [400, 401, 403, 404, 422]) {
    it(`drops a batch answered ${status}, and reports the count in the next batch`, async () => {
      const log = vi.fn();
      ep.reply = (_b, i) => (i == 0 ? status : 204);
      const d = make({ log });
      await elapse(0);
      pushAll(d, [ev(), ev(), ev()]);
      await d.flush();
      expect(await storedKeys()).toEqual([]);
      expect(log).toHaveBeenCalledWith(REFUSED, status, 3);
      d.push(ev());
      await d.flush();
      expect(ep.batches[1].dropped).toBe(3);
      d.push(ev());
      await d.flush();
      expect(ep.batches[2]).not.toHaveProperty('dropped');
    });
  }
});

describe('caps', () => {
  it('drops the oldest over maxQueue and reports how many in the next batch', async () => {
    ep.reply = (_b, i) => (i == 0 ? 500 : 204);
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const d = make({ maxQueue: 5 });
    await elapse(0);
    d.push(ev());
    await d.flush(); // fails: the endpoint is down while more arrive
    const list = Array.from({ length: 7 }, () => ev());
    pushAll(d, list);
    await elapse(100);
    await d.flush();
    const last = ep.batches[ep.batches.length - 1];
    expect(ids(last.events)).toEqual(ids(list.slice(-5)));
    expect(last.dropped).toBe(3);
    expect(await storedKeys()).toEqual([]);
  });
});

describe('caps: bytes and backlog', () => {
  it('drops the oldest once the queue holds over 5,000,000 characters of JSON', async () => {
    const d = make();
    await elapse(0);
    const list = Array.from({ length: 200 }, () => ev({ blob: 'z'.repeat(30_000) }));
    pushAll(d, list);
    const done = d.flush();
    let fin = false;
    done.then(() => (fin = true));
    while (!fin) await elapse(1);
    const sent = ep.ids();
    const dropped = ep.batches.reduce((n, b) => n + (b.dropped || 0), 0);
    expect(dropped).toBeGreaterThan(0);
    expect(sent).toEqual(ids(list.slice(dropped))); // the newest survive, in order
    const kept = list.slice(dropped).reduce((n, e) => n + JSON.stringify(e).length, 0);
    expect(kept).toBeLessThanOrEqual(5e6);
    expect(kept + JSON.stringify(list[dropped - 1]).length).toBeGreaterThan(5e6); // no more dropped than needed
    expect(await storedKeys()).toEqual([]);
  });

  it('sends a backlog of 1,200 in full and in order, pausing between chunks', async () => {
    const d = make();
    await elapse(0);
    const list = Array.from({ length: 1200 }, () => ev());
    pushAll(d, list);
    let fin = false;
    d.flush().then(() => (fin = true));
    while (!fin) await elapse(1);
    expect(ep.ids()).toEqual(ids(list));
  });
});

describe('memory fallback', () => {
  const check = async () => {
    const log = vi.fn();
    const d = make({ log });
    const list = [ev(), ev(), ev()];
    pushAll(d, list);
    await elapse(100);
    await d.flush();
    expect(ep.ids()).toEqual(ids(list));
    return log;
  };

  it('delivers the page events without IndexedDB', async () => {
    delete (globalThis as any).indexedDB;
    await check();
  });

  it('delivers when opening IndexedDB throws', async () => {
    indexedDB.open = () => {
      throw new DOMException('denied', 'SecurityError');
    };
    const log = await check();
    expect(log.mock.calls.some((c) => c[0] == NO_STORAGE)).toBe(true);
  });

  it('delivers when writes fail (over quota)', async () => {
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    await check();
  });

  it('delivers when opening IndexedDB never settles (blocked)', async () => {
    indexedDB.open = () => ({}) as IDBOpenDBRequest;
    const d = make();
    const list = [ev(), ev()];
    pushAll(d, list);
    await elapse(6000);
    await d.flush();
    expect(ep.ids()).toEqual(ids(list));
  });

  it('retries from memory with the same ids and caps memory too', async () => {
    delete (globalThis as any).indexedDB;
    vi.spyOn(Math, 'random').mockReturnValue(0);
    ep.reply = (_b, i) => (i == 0 ? 503 : 204);
    const d = make({ maxQueue: 3 });
    const list = Array.from({ length: 5 }, () => ev());
    pushAll(d, list);
    await elapse(1000);
    await elapse(1000);
    expect(ep.batches).toHaveLength(2);
    expect(ep.batches[1].events).toEqual(ep.batches[0].events);
    expect(ids(ep.batches[1].events)).toEqual(ids(list.slice(-3)));
    expect(ep.batches[0].dropped).toBe(2);
  });
});

describe('consent', () => {
  it('hold: nothing stored or sent; release stores and sends held events and leftovers', async () => {
    const left = ev();
    await seed([left]);
    const d = make({ hold: true });
    const list = [ev(), ev()];
    pushAll(d, list);
    await elapse(2000);
    await d.flush();
    d.flush(true);
    expect(ep.batches).toHaveLength(0);
    expect(await storedKeys()).toEqual(['1:' + left.id]);
    d.release();
    await elapse(0);
    await d.flush();
    expect(ep.ids()).toEqual(ids([left, ...list]));
    expect(await storedKeys()).toEqual([]);
  });

  it('erase drops held events and the stored queue, and sends nothing afterwards', async () => {
    await seed([ev(), ev()]);
    const d = make({ hold: true });
    d.push(ev());
    await d.erase();
    expect(await storedKeys()).toEqual([]);
    const later = ev(); // refused: held in memory only
    d.push(later);
    await elapse(2000);
    expect(ep.batches).toHaveLength(0);
    expect(await storedKeys()).toEqual([]);
    d.release();
    await elapse(0);
    await d.flush();
    expect(ep.ids()).toEqual([later.id]); // what came before the refusal is gone
  });

  it('erase after consent was granted clears what is stored and pending', async () => {
    ep.reply = () => 503;
    const d = make();
    await elapse(0);
    pushAll(d, [ev(), ev()]);
    await elapse(60);
    expect(await storedKeys()).toHaveLength(2);
    d.push(ev());
    await d.erase();
    await elapse(100);
    expect(await storedKeys()).toEqual([]);
  });
});

describe('leaving the page', () => {
  it('beacons pending events as text and keeps them stored; the next round resends the same ids', async () => {
    const beacons: string[] = [];
    onNavigator('sendBeacon', (_u: string, body: string) => (beacons.push(body), true));
    const d = make();
    await elapse(0);
    const list = [ev(), ev(), ev()];
    pushAll(d, list);
    await d.flush(true);
    expect(beacons).toHaveLength(1);
    expect(typeof beacons[0]).toBe('string');
    const b = JSON.parse(beacons[0]);
    expect(b).toMatchObject({ v: 1, site: 'my-shop' });
    expect(ids(b.events)).toEqual(ids(list));
    expect(ep.batches).toHaveLength(0);
    await idle();
    expect(await storedKeys()).toHaveLength(3); // outcome unknown: stays until a seen 2xx
    await d.flush(true); // pagehide after visibilitychange: not twice
    expect(beacons).toHaveLength(1);
    await d.flush(); // the page came back: at-least-once
    expect(ep.ids()).toEqual(ids(list));
    expect(await storedKeys()).toEqual([]);
  });

  it('falls back to keepalive fetch, and deletes when it sees a 2xx', async () => {
    onNavigator('sendBeacon', () => false);
    const d = make();
    await elapse(0);
    pushAll(d, [ev(), ev()]);
    await d.flush(true);
    await idle();
    expect(ep.inits).toHaveLength(1);
    expect(ep.inits[0].keepalive).toBe(true);
    expect(ep.ids()).toHaveLength(2);
    await idle();
    expect(await storedKeys()).toEqual([]);
  });

  it('keeps beacon bytes in flight under 64 KiB; the rest waits on disk for the next page', async () => {
    const beacons: string[] = [];
    onNavigator('sendBeacon', (_u: string, body: string) => (beacons.push(body), true));
    const d = make();
    await elapse(0);
    const list = Array.from({ length: 200 }, () => ev({ note: 'x'.repeat(1000) }));
    pushAll(d, list);
    await d.flush(true);
    const total = beacons.reduce((n, b) => n + Buffer.byteLength(b), 0);
    expect(beacons.length).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(65_536);
    for (const b of beacons) expect(Buffer.byteLength(b)).toBeLessThanOrEqual(60_000);
    await idle();
    expect(await storedKeys()).toHaveLength(200);
    d.destroy();
    make(); // the next page
    await elapse(0);
    await idle();
    expect(new Set(ep.ids())).toEqual(new Set(ids(list)));
    expect(await storedKeys()).toEqual([]);
  });

  it('a page that dies right after leaving loses nothing: the next page sends it all', async () => {
    onNavigator('sendBeacon', () => true); // queued, but the network will drop it
    const d = make();
    await elapse(0);
    const list = [ev(), ev()];
    pushAll(d, list); // no time for the coalesced write: leaving must start it
    await d.flush(true);
    d.destroy();
    await idle();
    make();
    await elapse(0);
    expect(ep.ids()).toEqual(ids(list));
  });
});

describe('leaving the page: the write', () => {
  it('starts at once, in the same task, even while an earlier write is in flight, and commits explicitly', async () => {
    onNavigator('sendBeacon', () => true);
    const put = vi.spyOn(IDBObjectStore.prototype, 'put');
    const commit = vi.spyOn(IDBTransaction.prototype, 'commit');
    const d = make();
    await elapse(0); // the database is open
    const first = ev();
    d.push(first);
    vi.advanceTimersByTime(50); // the coalesced write starts...
    await Promise.resolve();
    const last = ev({}, 'page_leave');
    d.push(last);
    d.flush(true); // ...and the page goes away before it completed
    for (let i = 0; i < 10; i++) await Promise.resolve(); // microtasks only: no task may run on a dying page
    expect(put.mock.calls.map((c) => (c[0] as JourneyEvent).id)).toContain(last.id);
    expect(commit).toHaveBeenCalled();
    await idle();
    expect(await storedKeys()).toEqual(['1:' + first.id, '1:' + last.id]);
  });
});

describe('leaving the page: the rescue', () => {
  const KEY = 'journey:rescue';
  const rescued = (): JourneyEvent[] => JSON.parse(localStorage.getItem(KEY) || '[]');

  it('keeps events whose write never reached disk in localStorage; the next page sends them and deletes the key', async () => {
    onNavigator('sendBeacon', () => true); // endpoint down: the beacons are lost
    ep.reply = () => 0;
    const d = make();
    await elapse(0);
    const list = [ev(), ev(), ev({}, 'page_leave')];
    pushAll(d, list);
    d.flush(true);
    // Synchronously, in the leaving task.
    expect(ids(rescued())).toEqual(ids(list));
    d.destroy();
    (globalThis as any).indexedDB = new IDBFactory(); // WebKit: the write begun at pagehide never landed
    ep.reply = () => 204;
    make(); // the next page
    expect(localStorage.getItem(KEY)).toBeNull();
    await elapse(0);
    await idle();
    expect(ep.ids()).toEqual(ids(list));
    expect(await storedKeys()).toEqual([]);
  });

  it('holds only the events not yet confirmed on disk', async () => {
    onNavigator('sendBeacon', () => true);
    const d = make();
    await elapse(0);
    const first = ev();
    d.push(first);
    await elapse(60); // written
    expect(await storedKeys()).toEqual(['1:' + first.id]);
    const last = ev({}, 'page_leave');
    d.push(last);
    d.flush(true);
    expect(ids(rescued())).toEqual([last.id]);
  });

  it('adds to what another tab left there, once per id, and stays under 64 KiB keeping the newest', async () => {
    onNavigator('sendBeacon', () => true);
    const other = ev();
    localStorage.setItem(KEY, JSON.stringify([other]));
    const d = make({ hold: true }); // no adopt at start-up: the other tab's event is still in the key
    d.release();
    expect(localStorage.getItem(KEY)).toBeNull(); // released: adopted
    localStorage.setItem(KEY, JSON.stringify([other]));
    const list = Array.from({ length: 200 }, () => ev({ note: 'x'.repeat(1000) }));
    pushAll(d, list);
    d.flush(true);
    d.flush(true); // pagehide after hidden: no repeats
    const raw = localStorage.getItem(KEY)!;
    expect(raw.length).toBeLessThanOrEqual(65_536);
    expect(raw.length).toBeGreaterThan(60_000);
    const got = ids(rescued());
    expect(new Set(got).size).toBe(got.length);
    expect(got.at(-1)).toBe(list[199].id);
    expect(got).not.toContain(list[0].id);
  });

  it('keeps the other tab event when there is room', async () => {
    onNavigator('sendBeacon', () => true);
    const d = make();
    await elapse(0);
    const other = ev();
    localStorage.setItem(KEY, JSON.stringify([other]));
    const mine = ev({}, 'page_leave');
    d.push(mine);
    d.flush(true);
    expect(ids(rescued())).toEqual([other.id, mine.id]);
  });

  it('writes nothing while consent is pending, and a refusal deletes the key', async () => {
    onNavigator('sendBeacon', () => true);
    const d = make({ hold: true });
    d.push(ev());
    d.flush(true);
    expect(localStorage.getItem(KEY)).toBeNull();
    localStorage.setItem(KEY, JSON.stringify([ev()]));
    await d.erase();
    expect(localStorage.getItem(KEY)).toBeNull();
  });

  it('survives a localStorage that throws: the beacons still go', async () => {
    const beacons: string[] = [];
    onNavigator('sendBeacon', (_u: string, body: string) => (beacons.push(body), true));
    const set = vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('quota', 'QuotaExceededError');
    });
    const d = make();
    await elapse(0);
    d.push(ev());
    expect(() => d.flush(true)).not.toThrow();
    expect(set).toHaveBeenCalled();
    expect(beacons).toHaveLength(1);
  });

  it('ignores a rescue key that is not a list of events', async () => {
    localStorage.setItem(KEY, '{"id":1}');
    make();
    await elapse(0);
    await idle();
    expect(ep.batches).toHaveLength(0);
    localStorage.setItem(KEY, '[null,1,{"id":7},"x"]');
    make();
    await elapse(0);
    await idle();
    expect(ep.batches).toHaveLength(0);
  });
});

describe('trust', () => {
  it('a refusal while still pending creates no database', async () => {
    const d = make({ hold: true });
    d.push(ev());
    await d.erase();
    await idle();
    expect((await indexedDB.databases()).map((x) => x.name)).not.toContain('journey-tracker');
  });

  it('a refusal after writing clears the database', async () => {
    const d = make();
    await elapse(0);
    d.push(ev());
    await elapse(60);
    await d.erase();
    expect(await storedKeys()).toEqual([]);
  });

  it('keeps stored events when the page broke JSON.stringify, and sends them once it works', async () => {
    const left = [ev(), ev()];
    await seed(left);
    const real = JSON.stringify;
    const spy = vi.spyOn(JSON, 'stringify').mockImplementation(() => {
      throw new Error('patched');
    });
    const d = make();
    await elapse(0);
    await idle();
    expect(ep.batches).toHaveLength(0);
    expect(await storedKeys()).toHaveLength(2);
    spy.mockRestore();
    expect(JSON.stringify).toBe(real);
    await d.flush();
    expect(ep.ids()).toEqual(ids(left));
  });
});

describe('tabs', () => {
  const race = async () => {
    const left = Array.from({ length: 30 }, () => ev());
    await seed(left);
    // fetch answers after a few real turns so two rounds overlap
    vi.stubGlobal('fetch', async (_u: string, init: RequestInit) => {
      ep.batches.push(JSON.parse(init.body as string));
      await idle(5);
      return new Response(null, { status: 204 });
    });
    const a = make();
    const b = make();
    const mine = Array.from({ length: 20 }, () => ev());
    mine.forEach((e, i) => (i % 2 ? a : b).push(e));
    await elapse(0);
    await Promise.all([a.flush(), b.flush()]);
    await elapse(1500);
    return [...left, ...mine];
  };

  it('with Web Locks two tabs share one queue and never both send an event', async () => {
    onNavigator('locks', (await import('./harness')).fakeLocks());
    const all = await race();
    const sent = ep.ids();
    expect(new Set(sent)).toEqual(new Set(ids(all)));
    expect(sent).toHaveLength(all.length);
    expect(await storedKeys()).toEqual([]);
  });

  it('control: without Web Locks the same race does send events twice (ids let receivers drop them)', async () => {
    const all = await race();
    const sent = ep.ids();
    expect(new Set(sent)).toEqual(new Set(ids(all)));
    expect(sent.length).toBeGreaterThan(all.length);
  });
});
