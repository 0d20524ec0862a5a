import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { COLUMNS } from './schema.js';

// DuckDB's SQL for the few places dialects differ; metrics.js writes everything else once.
/** @type {import('../metrics.js').Dialect} */
export const duckdbDialect = {
  param: (name) => `$${name}`,
  // The primary key already keeps each id once.
  from: (where) => `events WHERE ${where}`,
  countIf: (cond) => `count_if(${cond})`,
  firstBy: (x, t) => `arg_min(${x}, ${t}) FILTER (WHERE ${x} IS NOT NULL)`,
  lastBy: (x, t) => `arg_max(${x}, ${t})`,
  quantile: (x, q) => `quantile_cont(${x}, ${q})`,
  text: (x) => `CAST(${x} AS VARCHAR)`,
};

// UHUGEINT holds the ULID's 128 bits: 16 bytes a row, and the primary key drops repeats.
const TYPES = { id: 'UHUGEINT PRIMARY KEY', text: 'VARCHAR', ms: 'BIGINT', int8: 'UTINYINT', num: 'DOUBLE', bool: 'BOOLEAN' };

/** @param {Record<string, unknown>} row */
const plain = (row) => {
  for (const k in row) if (typeof row[k] === 'bigint') row[k] = Number(row[k]);
  return row;
};

/**
 * The embedded engine: one DuckDB file, owned by this process (DuckDB locks it).
 * @param {{ dir: string }} opts
 * @returns {Promise<import('./index.js').Storage>}
 */
export const createDuckDbStorage = async ({ dir }) => {
  mkdirSync(dir, { recursive: true });
  const instance = await DuckDBInstance.create(join(dir, 'journey.duckdb'));
  const write = await instance.connect();
  // Reports read on their own connection so they never queue behind a write.
  const read = await instance.connect();
  // Fewer, larger checkpoints: each one stalls the write that triggers it.
  await write.run(`SET checkpoint_threshold = '128MB'`);
  const cols = COLUMNS.map(([n, k, nullable]) => `"${n}" ${TYPES[k]}${nullable || k === 'id' ? '' : ' NOT NULL'}`);
  await write.run(`CREATE TABLE IF NOT EXISTS events (${cols.join(', ')})`);
  await write.run(`CREATE TEMP TABLE staging AS SELECT * FROM events LIMIT 0`);
  const appender = await write.createAppender('staging', 'main', 'temp');

  /** @param {import('../validate.js').StoredRow[]} rows */
  const stage = (rows) => {
    for (const r of rows) {
      const o = /** @type {Record<string, any>} */ (r);
      for (const [n, k] of COLUMNS) {
        const v = o[n];
        if (v == null) appender.appendNull();
        else if (k === 'text') appender.appendVarchar(v);
        else if (k === 'id') appender.appendUHugeInt(v);
        else if (k === 'ms') appender.appendBigInt(BigInt(v));
        else if (k === 'int8') appender.appendUTinyInt(v);
        else if (k === 'num') appender.appendDouble(v);
        else appender.appendBoolean(v);
      }
      appender.endRow();
    }
    appender.flushSync();
  };

  const names = COLUMNS.map(([n]) => `"${n}"`).join(', ');
  return {
    dialect: duckdbDialect,
    async insert(rows) {
      if (!rows.length) return 0;
      try {
        stage(rows);
        // One statement, one transaction: the whole group commits or none of it. A plain INSERT is
        // over twice as fast as INSERT OR IGNORE; repeats (retried batches) are rare, so try it first
        // and let the primary key send us to the slow path only when one is there.
        try {
          return (await write.run(`INSERT INTO events (${names}) SELECT ${names} FROM staging`)).rowsChanged;
        } catch (e) {
          if (!/constraint/i.test(String(e))) throw e;
          return (await write.run(`INSERT OR IGNORE INTO events (${names}) SELECT ${names} FROM staging`)).rowsChanged;
        }
      } finally {
        appender.clear();
        await write.run('DELETE FROM staging');
      }
    },
    async query(sql, params = {}) {
      const reader = await read.runAndReadAll(sql, /** @type {any} */ (params));
      return reader.getRowObjectsJS().map(plain);
    },
    async sites() {
      return this.query(
        'SELECT site, count(*) AS events, max(time) AS last FROM events GROUP BY site ORDER BY events DESC',
      );
    },
    async count() {
      const [r] = await this.query('SELECT count(*) AS n FROM events');
      return /** @type {number} */ (r.n);
    },
    async erase(site, id) {
      const r = await write.run('DELETE FROM events WHERE site = $site AND (visitor_id = $id OR user_id = $id)', { site, id });
      return r.rowsChanged;
    },
    async close() {
      try {
        appender.closeSync();
        await write.run('CHECKPOINT');
      } finally {
        read.closeSync();
        write.closeSync();
        instance.closeSync();
      }
    },
  };
};
