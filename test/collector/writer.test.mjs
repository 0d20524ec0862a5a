import { describe, expect, it } from 'vitest';
import { createWriter } from '../../examples/collector/lib/writer.js';

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
const rows = (n, from = 0) => Array.from({ length: n }, (_, i) => ({ id: BigInt(from + i) }));
const settled = (p) => p.then(() => 'ok', (e) => e.message);

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
});
