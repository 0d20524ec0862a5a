import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { COLUMNS } from './schema.js';

// DuckDB's SQL for the few places dialects differ; metrics.js writes everything else once.
/** @type {import('../metrics.js').Dialect} */
export const duckdbDialect = {
  param: (name) => `$${name}`,
  // The primary key already keeps each (site, id) once.
  from: (where) => `events WHERE ${where}`,
  countIf: (cond) => `count_if(${cond})`,
  firstBy: (x, t) => `arg_min(${x}, ${t}) FILTER (WHERE ${x} IS NOT NULL)`,
  lastBy: (x, t) => `arg_max(${x}, ${t})`,
  quantile: (x, q) => `quantile_cont(${x}, ${q})`,
  text: (x) => `CAST(${x} AS VARCHAR)`,
  div: (a, b) => `((${a}) // ${b})`,
  lines: (x) => `unnest(string_split(${x}, chr(10)))`,
  field: (x, k) => `split_part(${x}, chr(9), ${k})`,
  num: (x) => `coalesce(TRY_CAST(${x} AS DOUBLE), 0)`,
  countUpTo: (list, x) => `len(list_filter(${list}, v -> v <= ${x}))`,
  prop: (name) => `json_extract_string(props, '$.${name}')`,
  never: 'CAST(9007199254740991 AS BIGINT)',
  listIf: (x, cond) => `coalesce(list(${x}) FILTER (WHERE ${cond}), [])`,
  concat: (list) => `flatten(list(${list}))`,
  firstFrom: (list, x) => `coalesce(list_min(list_filter(${list}, v -> v >= ${x})), CAST(9007199254740991 AS BIGINT))`,
};

// UHUGEINT holds the ULID's 128 bits: 16 bytes a row, and the primary key (site, id) drops repeats.
/** @type {Record<string, string>} */
const TYPES = { id: 'UHUGEINT', text: 'VARCHAR', ms: 'BIGINT', int8: 'UTINYINT', num: 'DOUBLE', bool: 'BOOLEAN' };

const NAMES = COLUMNS.map(([n]) => n);
const KINDS = COLUMNS.map(([, k]) => k);
/** One appender call per kind of column. @type {Record<string, (to: import('@duckdb/node-api').DuckDBAppender, v: any) => void>} */
const APPEND = {
  id: (to, v) => to.appendUHugeInt(v),
  text: (to, v) => to.appendVarchar(v),
  ms: (to, v) => to.appendBigInt(BigInt(v)),
  int8: (to, v) => to.appendUTinyInt(v),
  num: (to, v) => to.appendDouble(v),
  bool: (to, v) => to.appendBoolean(v),
};

/** @param {Record<string, unknown>} row */
const plain = (row) => {
  for (const k in row) if (typeof row[k] === 'bigint') row[k] = Number(row[k]);
  return row;
};

/**
 * Files made before the key was (site, id) keyed events on the id alone, so the same id under a second site
 * was acknowledged and never stored. DuckDB cannot change a primary key in place: the rows move to a new table
 * in one transaction, once (2.9 s for 1,000,000 events on the 2-core test machine).
 * @param {import('@duckdb/node-api').DuckDBConnection} write @param {(name: string) => string} table
 */
const migrateKey = async (write, table) => {
  const key = await write.runAndReadAll(
    `SELECT constraint_column_names AS c FROM duckdb_constraints() WHERE table_name = 'events' AND constraint_type = 'PRIMARY KEY'`,
  );
  const [row] = key.getRowObjectsJS();
  if (!row || String(row.c) !== 'id') return;
  const names = COLUMNS.map(([n]) => `"${n}"`).join(', ');
  await write.run('BEGIN TRANSACTION');
  try {
    await write.run(table('events_site_key'));
    await write.run(`INSERT INTO events_site_key (${names}) SELECT ${names} FROM events`);
    await write.run('DROP TABLE events');
    await write.run('ALTER TABLE events_site_key RENAME TO events');
    await write.run('COMMIT');
  } catch (e) {
    await write.run('ROLLBACK').catch(() => {});
    throw e;
  }
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
  const cols = COLUMNS.map(([n, k, nullable]) => `"${n}" ${TYPES[k]}${nullable ? '' : ' NOT NULL'}`);
  const table = (/** @type {string} */ name) => `CREATE TABLE ${name} (${cols.join(', ')}, PRIMARY KEY (site, id))`;
  await write.run(table('IF NOT EXISTS events'));
  // Migrations of files an older collector made: first the columns added since (at the end, as COLUMNS
  // lists them), then the key (site, id), whose copy reads every column.
  const have = new Set(
    (
      await (
        await write.runAndReadAll("SELECT column_name FROM information_schema.columns WHERE table_name = 'events'")
      ).getRowObjectsJS()
    ).map((r) => r.column_name),
  );
  for (const [n, k] of COLUMNS) if (!have.has(n)) await write.run(`ALTER TABLE events ADD COLUMN "${n}" ${TYPES[k]}`);
  await migrateKey(write, table);
  await write.run(
    'CREATE TABLE IF NOT EXISTS bots (site VARCHAR NOT NULL, day BIGINT NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (site, day))',
  );
  const appender = await write.createAppender('events');
  // Only for groups holding an id already stored (a retried beacon): INSERT OR IGNORE from here.
  await write.run(`CREATE TEMP TABLE staging AS SELECT * FROM events LIMIT 0`);
  const staging = await write.createAppender('staging', 'main', 'temp');

  /** @param {import('@duckdb/node-api').DuckDBAppender} to @param {import('../validate.js').StoredRow[]} rows */
  const append = (to, rows) => {
    for (const r of rows) {
      const o = /** @type {Record<string, any>} */ (r);
      for (let c = 0; c < KINDS.length; c++) {
        const v = o[NAMES[c]];
        if (v == null) to.appendNull();
        else APPEND[KINDS[c]](to, v);
      }
      to.endRow();
    }
    to.flushSync();
  };

  /** @type {Promise<unknown>} */
  let queue = Promise.resolve();
  /**
   * The write connection's statements one task at a time: an insert's transaction spans awaits, and an
   * erasure run meanwhile would join it (and vanish with a rollback).
   * @template T @param {() => Promise<T>} task @returns {Promise<T>}
   */
  const exclusive = (task) => {
    const run = queue.then(task);
    queue = run.catch(() => {});
    return run;
  };

  const names = COLUMNS.map(([n]) => `"${n}"`).join(', ');
  /** The slow path: every row through a temporary table, repeats skipped by the key. @param {import('../validate.js').StoredRow[]} rows */
  const insertSkippingRepeats = async (rows) => {
    try {
      append(staging, rows);
      return (await write.run(`INSERT OR IGNORE INTO events (${names}) SELECT ${names} FROM staging`)).rowsChanged;
    } finally {
      staging.clear();
      await write.run('DELETE FROM staging');
    }
  };

  /** @type {import('./index.js').Storage} */
  const storage = {
    dialect: duckdbDialect,
    // No `block`: the writer gives it rows.
    insert: (given) =>
      exclusive(async () => {
        const rows = /** @type {import('../validate.js').StoredRow[]} */ (given);
        if (!rows.length) return 0;
        // The appender straight into the table, in one transaction: the whole group commits or none of it.
        // Each statement costs milliseconds whatever its size, so the common case is one append and one
        // COMMIT (a temporary table, INSERT … SELECT and DELETE cost twice the CPU). The key refuses a
        // stored id at the append; then the group is rolled back and takes the slow path.
        await write.run('BEGIN TRANSACTION');
        try {
          append(appender, rows);
          await write.run('COMMIT');
          return rows.length;
        } catch (e) {
          appender.clear();
          // After a failed COMMIT DuckDB has already rolled back; after a failed append it has not.
          await write.run('ROLLBACK').catch(() => {});
          if (!/duplicate key/i.test(String(e))) throw e;
          return insertSkippingRepeats(rows);
        }
      }),
    addBots: (counts) =>
      exclusive(async () => {
        for (const { site, day, n } of counts)
          await write.run('INSERT INTO bots VALUES ($site, $day, $n) ON CONFLICT (site, day) DO UPDATE SET n = n + excluded.n', {
            site,
            day,
            n,
          });
      }),
    async query(sql, params = {}) {
      const reader = await read.runAndReadAll(sql, /** @type {any} */ (params));
      return reader.getRowObjectsJS().map(plain);
    },
    async sites() {
      return storage.query('SELECT site, count(*) AS events, max(time) AS last FROM events GROUP BY site ORDER BY events DESC');
    },
    async count() {
      const [r] = await storage.query('SELECT count(*) AS n FROM events');
      return /** @type {number} */ (r.n);
    },
    erase: (site, id) =>
      exclusive(
        async () =>
          (await write.run('DELETE FROM events WHERE site = $site AND (visitor_id = $id OR user_id = $id)', { site, id }))
            .rowsChanged,
      ),
    async close() {
      await queue;
      try {
        appender.closeSync();
        staging.closeSync();
        await write.run('CHECKPOINT');
      } finally {
        read.closeSync();
        write.closeSync();
        instance.closeSync();
      }
    },
  };
  return storage;
};
