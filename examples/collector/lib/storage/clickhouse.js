import { Readable } from 'node:stream';
import { createClient, ClickHouseLogLevel } from '@clickhouse/client';
import { COLUMNS } from './schema.js';
import { bind, literal } from './literal.js';
import { createRollups } from './clickhouse-rollups.js';
import { createRowBinary } from './rowbinary.js';
import { DAY } from '../range.js';

// ClickHouse 18.16 (Debian's, the oldest we test) has no 128-bit integers, DateTime64, JSON or
// LowCardinality: the ULID is stored as its 26 characters, times as epoch ms in Int64.
/** @type {Record<string, string>} */
const TYPES = { id: 'FixedString(26)', text: 'String', ms: 'Int64', int8: 'UInt8', num: 'Float64', bool: 'UInt8' };
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const INT64 = /^(Nullable\()?U?Int64\)?$/;
const INSERT = `INSERT INTO events (${COLUMNS.map(([n]) => n).join(', ')}) FORMAT RowBinary`;
const encode = createRowBinary(COLUMNS);

/**
 * How the report sees each event id once before ClickHouse merges parts: `rollup` (the default) reads
 * daily rollups built with repeats dropped (clickhouse-rollups.js) and the events of any day they do not
 * match, as `query` does; `query` reads only the events and keeps one row per id at query time (LIMIT 1 BY
 * id); `final` reads through ReplacingMergeTree's FINAL, which collapses rows whose whole sorting key is
 * equal (a repeat stored with another corrected time is not). The last two are kept for comparison.
 * @typedef {'rollup' | 'query' | 'final'} Dedupe
 */

/** @param {Exclude<Dedupe, 'rollup'>} dedupe @returns {import('../metrics.js').Dialect} */
export const clickhouseDialect = (dedupe) => ({
  param: (name) => `{${name}}`,
  ...(dedupe === 'final'
    ? {
        from: (where) => `events FINAL WHERE ${where}`,
        scan: (where) => `events FINAL WHERE ${where}`,
        once: (cond) => (cond ? `countIf(${cond})` : 'count()'),
        unique: (columns, where) => `(SELECT ${columns}, 1 AS w FROM events FINAL WHERE ${where})`,
      }
    : {
        from: (where) => `(SELECT * FROM events WHERE ${where} LIMIT 1 BY id)`,
        scan: (where) => `events WHERE ${where}`,
        // Counting distinct ids inside each group (a session's dozen events) is cheaper than
        // dropping repeats over the whole range first: small hash sets, no second pass.
        once: (cond) => (cond ? `uniqExactIf(id, ${cond})` : 'uniqExact(id)'),
        // Only the columns a metric reads: LIMIT BY keeps whole rows, and ours carry URLs and props.
        unique: (columns, where) => `(SELECT id, ${columns}, 1 AS w FROM events WHERE ${where} LIMIT 1 BY id)`,
      }),
  countIf: (cond) => `countIf(${cond})`,
  // One pass: a FixedString id costs little to read here, and a second pass would read the rows twice.
  orders: (columns, from, where) => `(SELECT coalesce(txn, toString(id)) AS k, ${columns} FROM ${from(where)})`,
  // Aggregates skip NULL arguments, so this is the earliest non-null x.
  firstBy: (x, t) => `argMin(${x}, ${t})`,
  lastBy: (x, t) => `argMax(${x}, ${t})`,
  quantile,
  text: (x) => `toString(${x})`,
  div: (a, b) => `intDiv(${a}, ${b})`,
  lines: (x) => `arrayJoin(splitByChar('\\n', assumeNotNull(${x})))`,
  field: (x, k) => `splitByChar('\\t', ${x})[${k}]`,
  // One text per row and table, grouped by alone: ClickHouse groups by one text far faster than by a (digit, text)
  // pair, and splits nothing.
  tagged: (values) => `arrayJoin([${values.map((v, i) => `concat('${i}', ${v})`).join(', ')}])`,
  num: (x) => `toFloat64OrZero(${x})`,
  countUpTo: (list, x) => `arrayCount(v -> v <= ${x}, ${list})`,
  prop: (name) => `visitParamExtractString(props, '${name}')`,
  never: 'toInt64(9007199254740991)',
  listIf: (x, cond) => `groupArrayIf(${x}, ${cond})`,
  concat: (list) => `groupArrayArray(${list})`,
  // arrayReduce('min') of an empty array is 0, not "none": `never` is always there.
  firstFrom: (list, x) => `arrayReduce('min', arrayPushBack(arrayFilter(v -> v >= ${x}, ${list}), toInt64(9007199254740991)))`,
});

/**
 * No interpolating quantile in 18.16: interpolate between the values at ranks i and i + 1 (from 0) of the
 * sorted values, i = floor(q * (n - 1)), the same arithmetic as DuckDB's quantile_cont, so both engines agree
 * to the bit. Sorting every value is most of a report's time, so nothing is sorted: quantileExact(q) finds
 * the value at rank j = floor(q * n) by selection, and i, i + 1 are within one rank of j: the neighbour is the
 * same value where it repeats, else the largest value below it or the smallest above it.
 * @param {string} column @param {number} q
 */
const quantile = (column, q) => {
  // The metrics pass only rows where it is not NULL; a Nullable one would make every comparison below Nullable.
  const x = `assumeNotNull(${column})`;
  const a = `groupArray(${x})`;
  const n = `length(${a})`;
  const at = `quantileExact(${q})(${x})`;
  const j = `toUInt64(floor(${q} * ${n}))`;
  const below = `arrayCount(v -> v < ${at}, ${a})`;
  const same = `arrayCount(v -> v = ${at}, ${a})`;
  const before = `if(${j} >= ${below} + 1, ${at}, arrayReduce('max', arrayFilter(v -> v < ${at}, ${a})))`;
  const after = `if(${j} + 1 >= ${n} OR ${j} + 1 < ${below} + ${same}, ${at}, arrayReduce('min', arrayFilter(v -> v > ${at}, ${a})))`;
  const p = `(${q} * (${n} - 1))`;
  const i = `toUInt64(floor(${p}))`;
  const lo = `if(${i} < ${j}, ${before}, ${at})`;
  const hi = `if(${i} < ${j}, ${at}, ${after})`;
  return `(${lo} + (${p} - ${i}) * (${hi} - ${lo}))`;
};

/**
 * `clickhouse://user:pass@host:8123/db` (or `clickhouses://` for TLS, or plain http(s)://).
 * @param {string} url
 */
export const parseClickHouseUrl = (url) => {
  const u = new URL(url);
  const tls = u.protocol === 'clickhouses:' || u.protocol === 'https:';
  if (!/^(clickhouses?|https?):$/.test(u.protocol))
    throw new Error(`JOURNEY_DB: expected clickhouse://host:8123/db, got ${u.protocol}`);
  const database = decodeURIComponent(u.pathname.slice(1)) || 'journey';
  // The name goes into DDL as an identifier, where no literal escaping applies.
  if (!IDENT.test(database)) throw new Error(`JOURNEY_DB: database name ${database} must be letters, digits and _`);
  const asked = u.searchParams.get('dedupe');
  /** @type {Dedupe} */
  const dedupe = asked === 'final' || asked === 'query' ? asked : 'rollup';
  return {
    url: `${tls ? 'https' : 'http'}://${u.hostname.includes(':') ? `[${u.hostname}]` : u.hostname}:${u.port || (tls ? 8443 : 8123)}`,
    username: decodeURIComponent(u.username) || 'default',
    password: decodeURIComponent(u.password),
    database,
    dedupe,
  };
};

/** @param {{ meta?: { name: string, type: string }[], data: any[] }} r */
const numbers = (r) => {
  // 64-bit integers arrive as JSON strings (18.16) or numbers (current releases); every count we read fits a double.
  const wide = (r.meta ?? []).filter((m) => INT64.test(m.type)).map((m) => m.name);
  if (wide.length) for (const row of r.data) for (const k of wide) if (row[k] != null) row[k] = Number(row[k]);
  return r.data;
};

/** @param {string} version @param {number} major @param {number} [minor] */
const since = (version, major, minor = 0) => {
  const [a, b] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
};

/**
 * Settings of every query where the server's defaults differ by version. From 21.11 on, no asynchronous inserts
 * (on by default in current releases): a block is one insert, written when the server answers, so a beacon's 200
 * means its rows are stored and nothing waits for the server's own timer. No set of an `IN (…)` made ready for the
 * table's index: none of our `IN`s is on a key's leading columns, and on 26.7 the making took 0.15 s an `IN` over a
 * filtered report's 58,000 sessions, where the lookup itself took 0.01 s.
 * @param {string} version @returns {import('@clickhouse/client').ClickHouseSettings}
 */
const settings = (version) => ({
  use_index_for_in_with_subqueries: 0,
  // Every query at priority 1, the rollups' builds (BUILD) at 2: ClickHouse pauses a build while a report's query
  // or an insert runs.
  priority: '1',
  ...(since(version, 21, 11) && { async_insert: 0 }),
});

// The rollups' builds run in the background, on one core, and wait while anything else runs (`settings`): a report
// that overlaps one keeps its time.
/** @type {import('@clickhouse/client').ClickHouseSettings} */
const BUILD = { priority: '2', max_threads: 1 };

/**
 * The scale-out engine: any number of collector processes write to one ClickHouse (HTTP, through
 * the official client). Database and table are created, and missing columns added, at start.
 * @param {{ url: string, dedupe?: Dedupe, timeoutMs?: number, queryTimeoutMs?: number }} opts
 *   timeoutMs bounds a write (then the beacons get 503), queryTimeoutMs a report query
 * @returns {Promise<import('./index.js').Storage & { version: string, ping: () => Promise<boolean>, compact: (site: string, now?: number) => Promise<number> }>}
 */
export const createClickHouseStorage = async ({ url, dedupe, timeoutMs = 15_000, queryTimeoutMs = 120_000 }) => {
  const cfg = parseClickHouseUrl(url);
  const mode = dedupe ?? cfg.dedupe;
  const base = {
    url: cfg.url,
    username: cfg.username,
    password: cfg.password,
    request_timeout: queryTimeoutMs,
    log: { level: ClickHouseLogLevel.OFF },
  };
  const boot = createClient(base);
  let version;
  try {
    await boot.command({ query: `CREATE DATABASE IF NOT EXISTS ${cfg.database}` });
    [{ version }] = /** @type {any} */ (
      numbers(await (await boot.query({ query: 'SELECT version() AS version', format: 'JSON' })).json())
    );
  } catch (e) {
    throw new Error(`ClickHouse at ${cfg.url}: ${/** @type {Error} */ (e).message.split('\n')[0]}`);
  } finally {
    await boot.close();
  }
  const client = createClient({ ...base, database: cfg.database, clickhouse_settings: settings(version) });
  // Typed query parameters from 20 on; 18.16 gets inlined literals.
  const native = since(version, 20);
  const type = (/** @type {string} */ k, /** @type {boolean | undefined} */ nullable) =>
    nullable ? `Nullable(${TYPES[k]})` : TYPES[k];
  // Repeats share (site, time, visitor_id, id): background merges drop them; the report does not wait for that.
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS events (${COLUMNS.map(([n, k, nul]) => `${n} ${type(k, nul)}`).join(', ')})
      ENGINE = ReplacingMergeTree PARTITION BY toYYYYMM(toDateTime(intDiv(time, 1000))) ORDER BY (site, time, visitor_id, id)`,
  });
  // Migration: columns a newer collector added. 18.16 has no ADD COLUMN IF NOT EXISTS, so compare first.
  const have = new Set(
    numbers(
      await (
        await client.query({
          query: `SELECT name FROM system.columns WHERE database = currentDatabase() AND table = 'events'`,
          format: 'JSON',
        })
      ).json(),
    ).map((r) => r.name),
  );
  for (const [n, k, nul] of COLUMNS)
    if (!have.has(n))
      await client.command({ query: `ALTER TABLE events ADD COLUMN ${n} ${type(k, nul)}` }).catch((e) => {
        // Another collector starting at the same time may have added it.
        if (!/already exists/i.test(String(e))) throw e;
      });

  // Bot events dropped per site and day: rows added up by merges, and by sum() before they merge.
  await client.command({
    query: 'CREATE TABLE IF NOT EXISTS bots (site String, day Int64, n UInt64) ENGINE = SummingMergeTree ORDER BY (site, day)',
  });

  /**
   * @param {string} sql @param {Record<string, string | number>} [params]
   * @param {import('@clickhouse/client').ClickHouseSettings} [clickhouse_settings]
   */
  const query = async (sql, params = {}, clickhouse_settings = {}) => {
    const { query: text, query_params } = bind(sql, params, native);
    return numbers(await (await client.query({ query: text, query_params, format: 'JSON', clickhouse_settings })).json());
  };
  const dialect = clickhouseDialect(mode === 'final' ? 'final' : 'query');
  const { scan, once } = /** @type {Required<import('../metrics.js').Dialect>} */ (dialect);
  const rollups = createRollups({
    query: (sql, params, background) => query(sql, params, background ? BUILD : {}),
    command: async (sql, background) =>
      void (await client.command({ query: sql, ...(background && { clickhouse_settings: BUILD }) })),
    columns: async (sql) =>
      /** @type {{ meta: { name: string, type: string }[] }} */ (
        await (await client.query({ query: `SELECT * FROM (${sql}) LIMIT 0`, format: 'JSON' })).json()
      ).meta,
  });
  await rollups.migrate();
  /** @type {Set<Promise<unknown>>} */
  const background = new Set();

  return {
    dialect,
    version,
    // Two at a time: while one query drops repeats (single-threaded), the next one scans.
    parallel: 2,
    // ClickHouse wants few large inserts: gather beacons for up to 200 ms (or 50,000 rows) per block.
    writer: { delayMs: 200, maxRows: 50_000 },
    // The writer encodes each beacon's rows as it arrives, into the block of its group.
    block: encode.block,
    /** Writes one block, as RowBinary. Repeats are not looked up (other processes write too): the report drops them. */
    async insert(rows) {
      const { count, bytes } = 'bytes' in rows ? rows : { count: rows.length, bytes: encode(rows) };
      if (!count) return 0;
      const { stream } = await client.exec({
        query: INSERT,
        values: Readable.from([bytes]),
        abort_signal: AbortSignal.timeout(timeoutMs),
      });
      // The answer is empty; read to its end so the connection goes back to the pool.
      for await (const _ of stream);
      return count;
    },
    query,
    addBots: async (counts) =>
      void (await client.insert({
        table: 'bots',
        values: counts,
        format: 'JSONEachRow',
        abort_signal: AbortSignal.timeout(timeoutMs),
      })),
    /** Rollups answer whole days (rollup mode); finished days they do not cover yet are built in the background. */
    async prepare({ site, from, to, wholeDays, now, sessions, params }) {
      if (mode !== 'rollup' || !wholeDays) return dialect;
      const r = await rollups.dialect(/** @type {Required<import('../metrics.js').Dialect>} */ (dialect), {
        site,
        from,
        to,
        at: now,
        sessions,
        params,
      });
      if (r.stale) {
        const job = rollups
          .compact(site, now)
          .catch((e) => console.error(`collector: rollups of ${site} not built: ${String(e).split('\n')[0]}`));
        background.add(job);
        job.finally(() => background.delete(job));
      }
      return { ...r.dialect, release: r.release };
    },
    /**
     * Build the rollups of the finished days that lack them, and of today up to its last full hour, as at `now` (the
     * benchmark and tests; the report does it by itself).
     */
    compact: (/** @type {string} */ site, /** @type {number} */ now = Date.now()) => rollups.compact(site, now),
    sites: () =>
      query(`SELECT site, ${once()} AS events, max(time) AS last FROM ${scan('1')} GROUP BY site ORDER BY events DESC, site`),
    async count() {
      // Per site: the same id under two sites is two events (every other query filters on one site).
      const [r] = await query(`SELECT sum(n) AS n FROM (SELECT ${once()} AS n FROM ${scan('1')} GROUP BY site)`);
      return r.n;
    },
    erase: (site, id) =>
      rollups.withoutBuilds(site, async () => {
        const where = 'site = {site} AND (visitor_id = {id} OR user_id = {id})';
        const [r] = await query(`SELECT ${once()} AS n FROM ${scan(where)}`, { site, id });
        if (!r.n) return 0;
        // The rollups hold the same data: it goes too. Rows of events go as the events do; a session's or a
        // visitor's day goes whole (that day no longer matches the events, so the report reads it from them
        // until its rollups are built again).
        const days = (
          await query(`SELECT DISTINCT intDiv(time, ${DAY}) AS day, visitor_id FROM events WHERE ${where}`, { site, id })
        ).map((r) => `(${literal(r.day)}, ${literal(r.visitor_id)})`);
        // A mutation runs in the background (18.16 has no mutations_sync): wait until it is done.
        for (const t of ['events', ...rollups.rowTables])
          await client.command({ query: bind(`ALTER TABLE ${t} DELETE WHERE ${where}`, { site, id }).query });
        // The visitor ids go in after binding: bind() would read a `{name}` inside one as a placeholder.
        for (const t of rollups.factTables)
          await client.command({
            query: `${bind(`ALTER TABLE ${t} DELETE WHERE site = {site}`, { site }).query} AND (day, visitor_id) IN (${days.join(', ')})`,
          });
        for (let i = 0; ; i++) {
          const [m] = await query(`SELECT count() AS n FROM system.mutations WHERE database = currentDatabase() AND is_done = 0`);
          if (!m.n) break;
          if (i > 600) throw new Error('erase: mutation still running after 60 s');
          await new Promise((res) => setTimeout(res, 100));
        }
        return r.n;
      }),
    ping: async () => (await client.ping()).success,
    async close() {
      await Promise.all(background);
      await client.close();
    },
  };
};
