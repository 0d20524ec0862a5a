import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBatch } from '../../examples/collector/lib/validate.js';
import { createWriter } from '../../examples/collector/lib/writer.js';
import { batch, event, tempStorage } from './helpers.mjs';

// DuckDB's insert appends a group straight into the table in one transaction and falls back to
// INSERT OR IGNORE only when the key refuses a stored id: both paths, and what follows them.
describe('DuckDB insert', () => {
  let ctx;
  beforeAll(async () => {
    ctx = await tempStorage();
  });
  afterAll(() => ctx?.done());

  const rows = (events, site) => {
    const r = checkBatch(batch(events, { site }), Date.now());
    if ('error' in r) throw new Error(r.error);
    return r.rows;
  };
  const ids = async (site) =>
    (await ctx.storage.query('SELECT visitor_id FROM events WHERE site = $site ORDER BY visitor_id', { site })).map(
      (r) => r.visitor_id,
    );

  it('stores a new group whole and counts it', async () => {
    const group = rows([event({ visitor_id: 'a' }), event({ visitor_id: 'b' })], 'fresh');
    expect(await ctx.storage.insert(group)).toBe(2);
    expect(await ids('fresh')).toEqual(['a', 'b']);
  });

  it('stores the new rows of a group that repeats stored ids, each id once, and keeps appending after it', async () => {
    const stored = event({ visitor_id: 'old' });
    await ctx.storage.insert(rows([stored], 'mixed'));
    const group = rows([event({ visitor_id: 'new-1' }), stored, event({ visitor_id: 'new-2' })], 'mixed');
    expect(await ctx.storage.insert(group)).toBe(2);
    expect(await ctx.storage.insert(rows([event({ visitor_id: 'next' })], 'mixed'))).toBe(1);
    expect(await ids('mixed')).toEqual(['new-1', 'new-2', 'next', 'old']);
  });

  it('answers every beacon of a group through the writer once committed, repeats dropped', async () => {
    const writer = createWriter(ctx.storage, { delayMs: 5 });
    const e = event({ visitor_id: 'twice' });
    const beacons = [[e, event({ visitor_id: 'once' })], [e], [event({ visitor_id: 'third' })]];
    await Promise.all(beacons.map((b) => writer.write(rows(b, 'writer'))));
    expect(await ids('writer')).toEqual(['once', 'third', 'twice']);
  });
});
