import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStore, HELD } from '../../../src/queue/store';
import { del } from 'idb-keyval';
import { elapse, db, ev, seed, setup, storedKeys } from './harness';

const make = (o: { hold?: boolean; maxQueue?: number; log?: () => void } = {}) =>
  createStore({ log: () => {}, hold: false, ...o });

beforeEach(() => {
  setup();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('store', () => {
  it('writes what is added in one coalesced write within 50 ms', async () => {
    const s = make();
    const list = [ev(), ev()];
    for (const e of list) expect(s._add(e)).toBe(true);
    expect(await storedKeys()).toEqual([]);
    await elapse(50);
    expect(await storedKeys()).toEqual(list.map((e) => '1:' + e.id));
  });

  it('held: keeps events in memory only until released', async () => {
    const s = make({ hold: true });
    const e = ev();
    expect(s._add(e)).toBe(false);
    await elapse(100);
    expect(await storedKeys()).toEqual([]);
    s._release();
    expect(s._stop).toBe(0);
    await s._save();
    expect(await storedKeys()).toEqual(['1:' + e.id]);
  });

  it('caps memory at maxQueue, oldest first, counting only what never reached disk', async () => {
    const s = make({ maxQueue: 2 });
    const [a, b, c] = [ev(), ev(), ev()];
    s._add(a);
    await elapse(50); // a is on disk
    s._add(b);
    s._add(c);
    expect([...s._own.keys()]).toEqual(['1:' + b.id, '1:' + c.id]);
    expect(s._dropped).toBe(0);
    s._add(ev());
    expect(s._dropped).toBe(1); // b never got to disk
  });

  it('reads the stored queue oldest first, and forgets what another tab delivered', async () => {
    const s = make();
    const mine = ev();
    s._add(mine);
    await elapse(50);
    const other = ev();
    await seed([other]);
    const l = [...(await s._read())];
    expect(l.map((r) => r[0])).toEqual(['1:' + mine.id, '1:' + other.id]);
    await del('1:' + mine.id, db()); // another tab delivered it
    await s._read();
    expect(s._own.has('1:' + mine.id)).toBe(false);
  });

  it('leaving: writes everything not yet on disk at once, and hands it back for the rescue copy', async () => {
    const s = make();
    const first = ev();
    s._add(first);
    await elapse(50);
    const last = ev();
    s._add(last);
    const l = s._now();
    expect(l.map((r) => r[1].id)).toEqual([last.id]);
    await elapse(0);
    expect(await storedKeys()).toEqual(['1:' + first.id, '1:' + last.id]);
  });

  it('forget removes from memory and disk', async () => {
    const s = make();
    const e = ev();
    s._add(e);
    await elapse(50);
    await s._forget(['1:' + e.id]);
    expect(s._own.size).toBe(0);
    expect(await storedKeys()).toEqual([]);
  });

  it('without IndexedDB the page events are the queue', async () => {
    (globalThis as any).indexedDB = undefined;
    const log = vi.fn();
    const s = make({ log });
    const e = ev();
    s._add(e);
    await elapse(50);
    const l = [...(await s._read())];
    expect(l.map((r) => r[1].id)).toEqual([e.id]);
    expect(log).toHaveBeenCalledWith('no storage', expect.anything());
  });

  it('erase holds again, drops everything and clears the disk', async () => {
    const s = make();
    s._add(ev());
    await elapse(50);
    s._dropped = 3;
    await s._erase();
    expect(s._stop & HELD).toBe(HELD);
    expect(s._dropped).toBe(0);
    expect(s._own.size).toBe(0);
    expect(await storedKeys()).toEqual([]);
  });
});
