import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createDisk, exists, P } from '../../../src/queue/disk';
import { ev, seed, storedKeys } from './harness';

beforeEach(() => {
  (globalThis as any).indexedDB = new IDBFactory();
  vi.restoreAllMocks();
});

describe('disk', () => {
  it('opens nothing until first used', () => {
    const open = vi.spyOn(indexedDB, 'open');
    createDisk();
    expect(open).not.toHaveBeenCalled();
  });

  it('keeps versioned records and lists its own format oldest first', async () => {
    const s = createDisk();
    const [a, b, c] = [ev(), ev(), ev()];
    await s._put([
      [P + c.id, c],
      [P + a.id, a],
    ]);
    await s._put([[P + b.id, b]]);
    await seed([ev()], '9:'); // a format this version does not know
    expect((await s._all()).map((r) => r[1].id)).toEqual([a.id, b.id, c.id]);
    await s._del([P + a.id, P + c.id]);
    expect((await s._all()).map((r) => r[0])).toEqual([P + b.id]);
    expect(await storedKeys()).toHaveLength(2);
    await s._clear();
    expect(await storedKeys()).toEqual([]);
  });

  it('reads a large queue in several transactions, all of it, oldest first, skipping other formats', async () => {
    const s = createDisk();
    const list = Array.from({ length: 1201 }, () => ev());
    await seed(list.slice(0, 600), P);
    await seed(list.slice(600));
    await seed([ev(), ev()], '2:'); // a newer format sorts after ours
    await seed([ev()], '0:'); // and an older one before
    const tx = vi.spyOn(IDBDatabase.prototype, 'transaction');
    const all = await s._all();
    expect(all.map((r) => r[1].id)).toEqual(list.map((e) => e.id));
    expect(all[0][0]).toBe(P + list[0].id);
    expect(tx.mock.calls.length).toBeGreaterThanOrEqual(3);
  });

  it('rejects, never throws, when IndexedDB is missing', async () => {
    delete (globalThis as any).indexedDB;
    const s = createDisk();
    await expect(s._all()).rejects.toBeDefined();
    await expect(s._put([[P + 'x', ev()]])).rejects.toBeDefined();
  });

  it('exists: false before anything was written, true after, and true when it cannot tell', async () => {
    expect(await exists()).toBe(false);
    await createDisk()._put([[P + 'x', ev()]]);
    expect(await exists()).toBe(true);
    vi.spyOn(indexedDB, 'databases').mockImplementation(() => {
      throw new TypeError('no databases() (Firefox < 126)');
    });
    expect(await exists()).toBeTruthy();
  });
});
