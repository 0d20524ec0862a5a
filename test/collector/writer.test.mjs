import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it, vi } from 'vitest';
import { createWriter } from '../../examples/collector/lib/writer.js';
import { createRowBinary } from '../../examples/collector/lib/storage/rowbinary.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
/** An engine that encodes rows as they arrive (as ClickHouse does), each insert recorded as its rows' ids. */
const encoding = ({ refuse = () => false } = {}) => {
  const encode = createRowBinary([['ulid', 'text']]);
  const inserts = [];
  let gate;
  return {
    inserts,
    hold: () => {
      let open;
      gate = new Promise((r) => (open = r));
      return open;
    },
    block: encode.block,
    insert: async ({ count, bytes }) => {
      const ids = [];
      for (let at = 0; at < bytes.length; at += 1 + bytes[at]) ids.push(bytes.toString('latin1', at + 1, at + 1 + bytes[at]));
      expect(ids.length).toBe(count);
      inserts.push(ids);
      await gate;
      if (ids.some(refuse)) throw new Error('Cannot parse input');
      return count;
    },
  };
};

/** A storage whose writes wait until released, recording each block. */
const slowStorage = () => {
  const blocks = [];
  const waiting = [];
  return {
    blocks,
    release: () => waiting.splice(0).forEach((f) => f()),
    insert: (rows) => new Promise((resolve) => (blocks.push(rows.length), waiting.push(() => resolve(rows.length)))),
  };
};
const rows = (n, from = 0) => Array.from({ length: n }, (_, i) => ({ id: BigInt(from + i), ulid: String(from + i) }));
const settled = (p) =>
  p.then(
    () => 'ok',
    (e) => e.message,
  );

describe('writer', () => {
  it('gathers what arrives during a write into the next block, and settles each write only after its block', async () => {
    const s = slowStorage();
    const w = createWriter(s, { delayMs: 1 });
    const first = settled(w.write(rows(3)));
    await new Promise((r) => setTimeout(r, 20));
    const later = [settled(w.write(rows(2, 10))), settled(w.write(rows(4, 20)))];
    let done = false;
    first.then(() => (done = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    s.release();
    expect(await first).toBe('ok');
    await new Promise((r) => setTimeout(r, 20));
    s.release();
    expect(await Promise.all(later)).toEqual(['ok', 'ok']);
    expect(s.blocks).toEqual([3, 6]);
  });

  it('writes a group that waited through a slow insert when that insert ends, not delayMs later', async () => {
    vi.useFakeTimers();
    try {
      const s = slowStorage();
      const w = createWriter(s, { delayMs: 200 });
      w.write(rows(3));
      await vi.advanceTimersByTimeAsync(200);
      expect(s.blocks).toEqual([3]);
      w.write(rows(2, 10));
      // The insert takes 300 ms: the rows that came meanwhile are already past their 200 ms.
      await vi.advanceTimersByTimeAsync(300);
      s.release();
      await vi.advanceTimersByTimeAsync(1);
      expect(s.blocks).toEqual([3, 2]);
      s.release();
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses at once, rather than queueing, past maxQueued rows waiting on a slow database', async () => {
    const s = slowStorage();
    const w = createWriter(s, { delayMs: 1, maxRows: 100, maxQueued: 10 });
    const inFlight = settled(w.write(rows(5)));
    await new Promise((r) => setTimeout(r, 20));
    const queued = settled(w.write(rows(10, 100)));
    expect(await settled(w.write(rows(1, 200)))).toMatch(/queue full/);
    s.release();
    await inFlight;
    await new Promise((r) => setTimeout(r, 20));
    s.release();
    expect(await queued).toBe('ok');
    expect(s.blocks).toEqual([5, 10]);
  });

  it('writes the other batches of a group whose insert the database refuses for one row, and fails only that batch', async () => {
    const inserts = [];
    const stored = [];
    const picky = {
      insert: async (rs) => {
        inserts.push(rs.length);
        if (rs.some((r) => r.bad)) throw new Error('Conversion Error: value out of range');
        stored.push(...rs.map((r) => r.id));
        return rs.length;
      },
    };
    const w = createWriter(picky, { delayMs: 5 });
    const batches = Array.from({ length: 8 }, (_, i) => rows(2, i * 10));
    batches[5][1].bad = true;
    const results = await Promise.all(batches.map((b) => settled(w.write(b))));
    expect(results).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'Conversion Error: value out of range', 'ok', 'ok']);
    expect(stored.sort((a, b) => Number(a - b))).toEqual(
      batches
        .filter((_, i) => i !== 5)
        .flat()
        .map((r) => r.id),
    );
    expect(w.failing()).toBe(false);
  });

  it('fails the whole group at once when the engine does not answer its ping', async () => {
    let inserts = 0;
    const down = { insert: async () => (inserts++, Promise.reject(new Error('ECONNREFUSED'))), ping: async () => false };
    const w = createWriter(down, { delayMs: 5 });
    const results = await Promise.all([rows(1), rows(1, 5), rows(1, 9)].map((b) => settled(w.write(b))));
    expect(results).toEqual(['ECONNREFUSED', 'ECONNREFUSED', 'ECONNREFUSED']);
    expect(inserts).toBe(1);
    expect(w.failing()).toBe(true);
  });

  it('keeps one row per (site, id) in a group: the same id under two sites is two rows', async () => {
    const s = slowStorage();
    const w = createWriter(s, { delayMs: 5 });
    const a = settled(
      w.write([
        { id: 1n, ulid: '1', site: 'a' },
        { id: 1n, ulid: '1', site: 'a' },
      ]),
    );
    const b = settled(w.write([{ id: 1n, ulid: '1', site: 'b' }]));
    await new Promise((r) => setTimeout(r, 30));
    s.release();
    expect(await Promise.all([a, b])).toEqual(['ok', 'ok']);
    expect(s.blocks).toEqual([2]);
  });

  it('runs a task between two groups: after the one being written, before those that arrive later', async () => {
    const s = slowStorage();
    const w = createWriter(s, { delayMs: 1 });
    const order = [];
    const first = w.write(rows(3)).then(() => order.push('first'));
    await new Promise((r) => setTimeout(r, 20));
    const task = w.between(async () => (order.push('task'), 7));
    const later = w.write(rows(2, 10)).then(() => order.push('later'));
    s.release();
    expect(await task).toBe(7);
    await new Promise((r) => setTimeout(r, 20));
    s.release();
    await Promise.all([first, later]);
    expect(order).toEqual(['first', 'task', 'later']);
  });

  it('runs a task after the writes that were waiting when it was asked for, not only after the group being written', async () => {
    // An erasure must not leave events whose request came before it: they were waiting behind a slow group.
    const s = slowStorage();
    const w = createWriter(s, { delayMs: 1 });
    const order = [];
    const first = w.write(rows(3)).then(() => order.push('first'));
    await new Promise((r) => setTimeout(r, 20));
    const waiting = w.write(rows(2, 10)).then(() => order.push('waiting'));
    const task = w.between(async () => order.push('task'));
    const later = w.write(rows(2, 20)).then(() => order.push('later'));
    for (let i = 0; i < 5; i++) {
      s.release();
      await new Promise((r) => setTimeout(r, 20));
    }
    await Promise.all([first, waiting, task, later]);
    expect(order).toEqual(['first', 'waiting', 'task', 'later']);
  });

  it('gives up on a task not started within its wait, and never runs it', async () => {
    const s = slowStorage();
    const w = createWriter(s, { delayMs: 1 });
    const first = settled(w.write(rows(3)));
    await new Promise((r) => setTimeout(r, 20));
    let ran = false;
    const task = settled(w.between(async () => (ran = true), 30));
    expect(await task).toMatch(/busy/);
    s.release();
    await first;
    await w.drain();
    expect(ran).toBe(false);
  });

  it('encodes each write as it arrives on an engine with blocks: a group is one insert of their bytes, in order', async () => {
    const s = encoding();
    const w = createWriter(s, { delayMs: 5 });
    const results = await Promise.all([rows(2), rows(1, 10), rows(3, 20)].map((b) => settled(w.write(b))));
    expect(results).toEqual(['ok', 'ok', 'ok']);
    expect(s.inserts).toEqual([['0', '1', '10', '20', '21', '22']]);
  });

  it("holds no write's rows while its block waits for the insert: only their bytes", async () => {
    const s = encoding();
    const release = s.hold();
    const w = createWriter(s, { delayMs: 1 });
    let batch = rows(50);
    const kept = new WeakRef(batch);
    const written = settled(w.write(batch));
    batch = undefined;
    for (let i = 0; i < 100 && !s.inserts.length; i++) await new Promise((r) => setTimeout(r, 5));
    gc();
    expect(kept.deref()).toBeUndefined();
    release();
    expect(await written).toBe('ok');
    expect(s.inserts[0]).toHaveLength(50);
  });

  it('refuses only the write an engine cannot encode, and halves a refused block down to the batch refused', async () => {
    const s = encoding({ refuse: (id) => id === '51' });
    const w = createWriter(s, { delayMs: 5 });
    const batches = Array.from({ length: 6 }, (_, i) => rows(2, i * 10));
    const results = await Promise.all([
      ...batches.map((b) => settled(w.write(b))),
      settled(w.write([{ ulid: 'x' }, { ulid: null }])),
    ]);
    expect(results).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'Cannot parse input', expect.stringMatching(/not nullable/)]);
    const stored = s.inserts.filter((ids) => !ids.includes('51')).flat();
    expect(stored.sort()).toEqual(['0', '1', '10', '11', '20', '21', '30', '31', '40', '41']);
  });
});
