// The items of commerce events as the report reads them (a column of lines), and an older DuckDB file
// gaining that column when a newer collector opens it.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { itemLines } from '../../examples/collector/lib/extract.js';
import { createDuckDbStorage } from '../../examples/collector/lib/storage/duckdb.js';
import { COLUMNS } from '../../examples/collector/lib/storage/schema.js';
import { checkBatch } from '../../examples/collector/lib/validate.js';
import { event } from './helpers.mjs';

describe('itemLines', () => {
  it('one line per item_id, quantities of a repeated id summed, tabs and line breaks flattened', () => {
    expect(
      itemLines([
        { item_id: 'A', item_name: 'Shirt\tblue\nL', price: 19.9, quantity: 2 },
        { item_id: 'A', item_name: 'Shirt', price: 19.9 },
        { item_id: 7, price: 5 },
        { item_name: 'Only a name' },
        'junk',
        { item_id: '' },
      ]),
    ).toBe('A\tShirt blue L\t19.9\t3\n7\t\t5\t1\nOnly a name\tOnly a name\t\t1');
  });
  it('no items: null', () => {
    expect(itemLines(undefined)).toBeNull();
    expect(itemLines([])).toBeNull();
    expect(itemLines({ item_id: 'A' })).toBeNull();
  });
});

describe('DuckDB file of an older collector', () => {
  it('gains the items column on open, keeps its rows, and stores new ones with items', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'journey-old-'));
    try {
      const old = await DuckDBInstance.create(join(dir, 'journey.duckdb'));
      const c = await old.connect();
      const cols = COLUMNS.filter(([n]) => n !== 'items').map(
        ([n, k]) =>
          `"${n}" ${k === 'id' ? 'UHUGEINT PRIMARY KEY' : k === 'ms' ? 'BIGINT' : k === 'int8' ? 'UTINYINT' : k === 'num' ? 'DOUBLE' : k === 'bool' ? 'BOOLEAN' : 'VARCHAR'}`,
      );
      await c.run(`CREATE TABLE events (${cols.join(', ')})`);
      await c.run(
        "INSERT INTO events (id, site, time, received, type, visitor_id, session_id, stage, url, page_type, referrer, title, props, truncated) VALUES (1, 's', 1, 1, 'page_view', 'v', 's', 0, '', 'home', '', '', '{}', false)",
      );
      c.closeSync();
      old.closeSync();
      const storage = await createDuckDbStorage({ dir });
      const e = event({ type: 'view_item', props: { items: [{ item_id: 'A', price: 1 }] } });
      await storage.insert(checkBatch({ v: 1, site: 's', events: [e] }, Date.now()).rows);
      expect(await storage.query('SELECT items FROM events ORDER BY time')).toEqual([{ items: null }, { items: 'A\t\t1\t1' }]);
      await storage.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
