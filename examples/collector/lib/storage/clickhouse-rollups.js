// Daily rollups for the report on ClickHouse: per session and per visitor, the aggregate states of metrics.js's
// FACTS, and the few event types the report reads row by row, built from the events with repeats dropped.
// They are a cache, never the record: a day is read from them only while the events table still holds the
// rows they were built from (the same count and sum of receipt times). Any other day (today, a day that got late events or a retry, a merge,
// an erasure) is read from the events themselves, each id once, so the numbers are exact either way. Ingest
// does not touch them: a write that half-failed or landed late can never leave them counting an event twice.
import { FACTS, VITALS } from '../metrics.js';
import { literal } from './literal.js';

export const DAY = 86_400_000;
// Names in text order, so that ORDER BY vital sorts the enum as DuckDB sorts the text.
const VITAL = `Enum8(${[...VITALS].sort().map((v, i) => `'${v}' = ${i + 1}`).join(', ')})`;
const TYPED = ['purchase', 'nps_response', 'page_leave'];
// The event columns kept for those types: what the report's metrics read of them, and who they belong to.
const TYPED_COLUMNS = 'id, site, type, time, visitor_id, session_id, user_id, page_type, value, currency, txn, engaged_ms, score';
const VITAL_VALUE = `CAST(assumeNotNull(vital) AS ${VITAL}) AS vital, assumeNotNull(value) AS value`;
const VITAL_COLUMNS = `id, site, type, time, visitor_id, session_id, user_id, stage, ${VITAL_VALUE}`;
const VITAL_WHERE = `type = 'web_vital' AND value IS NOT NULL AND vital IN (${VITALS.map(literal).join(', ')})`;

/** @typedef {[kind: 'count' | 'max' | 'first', x?: string]} Fact */
/** @param {Fact} f */
const state = ([kind, x]) => (kind === 'count' ? (x ? `countIfState(${x})` : 'countState()') : kind === 'max' ? `maxState(${x})` : `argMinState(${x}, time)`);
/** @param {string} name @param {Fact} f */
const merge = (name, [kind, x]) => {
  const s = `${name}_state`;
  // A state that saw only NULLs reads back as '' (the events' argMin gives NULL); a `first` column is never ''.
  return kind === 'count' ? `count${x ? 'If' : ''}Merge(${s})` : kind === 'max' ? `maxMerge(${s})` : `nullIf(argMinMerge(${s}), '')`;
};

/** @param {keyof typeof FACTS} of */
const factsTable = (of) => {
  const { key, of: facts } = FACTS[of];
  const keys = key === 'visitor_id' ? [key] : [key, 'visitor_id'];
  const states = Object.entries(facts).map(([n, f]) => `${state(/** @type {Fact} */ (f))} AS ${n}_state`).join(', ');
  return {
    name: `${of}s_daily`,
    engine: 'AggregatingMergeTree',
    order: ['site', 'day', 'version', ...keys],
    /** @param {string} source @param {string} version */
    build: (source, version) =>
      `SELECT site, intDiv(time, ${DAY}) AS day, toUInt64(${version}) AS version, ${keys.join(', ')}, ${states} FROM ${source} GROUP BY site, day, ${keys.join(', ')}`,
    /** The same states from (deduplicated) events, keyed like the report reads them. @param {string} source */
    states: (source) => `SELECT ${key}, ${states} FROM ${source} GROUP BY ${key}`,
    /** The states of the rollup rows matching `where`. @param {string} where */
    stored: (where) => `SELECT ${key}, ${Object.keys(facts).map((n) => `${n}_state`).join(', ')} FROM ${of}s_daily WHERE ${where}`,
    /** @param {string} source rows of both kinds of states */
    merged: (source) => `SELECT ${key}, ${Object.entries(facts).map(([n, f]) => `${merge(n, /** @type {Fact} */ (f))} AS ${n}`).join(', ')} FROM (${source}) GROUP BY ${key}`,
  };
};

const FACT_TABLES = { session: factsTable('session'), visitor: factsTable('visitor') };
/** @param {string} columns @param {string} where @param {string[]} order */
const rowsTable = (name, columns, where, order) => ({
  name,
  engine: 'MergeTree',
  order: ['site', ...order, 'day', 'version', 'time'],
  /** @param {string} source @param {string} version */
  // Filtered in a subquery: an alias such as `vital` would otherwise stand for its column in the WHERE too.
  build: (source, version) => `SELECT intDiv(time, ${DAY}) AS day, toUInt64(${version}) AS version, ${columns} FROM (SELECT * FROM ${source} WHERE ${where})`,
});
const ROW_TABLES = {
  typed: rowsTable('typed', TYPED_COLUMNS, `type IN (${TYPED.map(literal).join(', ')})`, ['type']),
  // No type column: every row is a web_vital (an ALIAS column answers `type`, at no cost).
  vitals: rowsTable('vitals', VITAL_COLUMNS.replace('type, ', ''), VITAL_WHERE, ['vital', 'stage']),
};
const TABLES = [...Object.values(FACT_TABLES), ...Object.values(ROW_TABLES)];

/** Events of `where`, each id once. @param {string} where */
const deduped = (where) => `(SELECT * FROM events WHERE ${where} LIMIT 1 BY id)`;

/** @param {number[]} days @returns {string} a condition on `time`: one of these UTC days (ranges, which the key can use) */
const onDays = (days) => {
  /** @type {[number, number][]} */
  const runs = [];
  for (const d of [...days].sort((a, b) => a - b)) {
    const last = runs[runs.length - 1];
    if (last && last[1] === d) last[1] = d + 1;
    else runs.push([d, d + 1]);
  }
  return runs.length ? `(${runs.map(([a, b]) => `(time >= ${a * DAY} AND time < ${b * DAY})`).join(' OR ')})` : '0';
};

/**
 * @param {{ query: (sql: string, params?: Record<string, string | number>) => Promise<Record<string, any>[]>,
 *   command: (sql: string) => Promise<void> }} db
 */
export const createRollups = (db) => {
  /** Tables, created when missing (by any collector; `IF NOT EXISTS` makes a second one's attempt a no-op). */
  const migrate = async () => {
    await db.command(`CREATE TABLE IF NOT EXISTS rollup_days (site String, day Int64, print String, version UInt64, built Int64)
      ENGINE = ReplacingMergeTree(built) ORDER BY (site, day)`);
    for (const t of TABLES)
      await db.command(`CREATE TABLE IF NOT EXISTS ${t.name} ENGINE = ${t.engine} ORDER BY (${t.order.join(', ')})
        AS ${t.build('(SELECT * FROM events WHERE 0)', '0')}`);
    const [has] = await db.query("SELECT count() AS n FROM system.columns WHERE database = currentDatabase() AND table = 'vitals' AND name = 'type'");
    if (!has.n)
      await db.command("ALTER TABLE vitals ADD COLUMN type String ALIAS 'web_vital'").catch((e) => {
        if (!/already exists/i.test(String(e))) throw e;
      });
  };

  /** @type {Map<string, { parts: string, days: Map<number, string> }>} */
  const seen = new Map();
  /**
   * What the events table holds of each UTC day before `to`: its row count and the sum of the rows' receipt
   * times, as text. Any write, merge or erasure changes it (a late event adds a row, a merge drops a repeat's
   * row: both move the sum). Reading it costs a pass over two columns, so it is kept until a part of the
   * events table changes (every write, merge and mutation makes a new part).
   * @param {string} site @param {number} to
   * @returns {Promise<Map<number, string>>}
   */
  const prints = async (site, to) => {
    const parts = (await db.query("SELECT name FROM system.parts WHERE database = currentDatabase() AND table = 'events' AND active ORDER BY name"))
      .map((r) => r.name).join(' ');
    const key = `${site}\n${to}`;
    const known = seen.get(key);
    if (known?.parts === parts) return known.days;
    const rows = await db.query(`SELECT intDiv(time, ${DAY}) AS day, concat(toString(count()), ':', toString(sum(received))) AS print
      FROM events WHERE site = {site} AND time < {to} GROUP BY day`, { site, to });
    const days = new Map(rows.map((r) => [r.day, r.print]));
    seen.set(key, { parts, days });
    return days;
  };

  /** The days whose rollups still match the events: day → the version to read. @param {string} site @param {Map<number, string>} now */
  const current = async (site, now) => {
    const built = await db.query('SELECT day, argMax(print, built) AS p, argMax(version, built) AS v FROM rollup_days WHERE site = {site} GROUP BY day', { site });
    /** @type {Map<number, number>} */
    const clean = new Map();
    for (const b of built) if (now.get(b.day) === b.p) clean.set(b.day, b.v);
    return clean;
  };

  /** @type {Map<string, Promise<number>>} */
  const running = new Map();
  /**
   * Build the rollups of every finished day (before today, UTC) whose events changed since, in one pass per
   * table. A day is recorded only if it did not change while it was read; otherwise it stays
   * on the events until the next time. Returns how many days were recorded.
   * @param {string} site @param {number} [now]
   */
  const compact = (site, now = Date.now()) => {
    const todo = running.get(site);
    if (todo) return todo;
    const run = (async () => {
      const today = Math.floor(now / DAY) * DAY;
      const before = await prints(site, today);
      const clean = await current(site, before);
      const days = [...before.keys()].filter((d) => !clean.has(d));
      if (!days.length) return 0;
      const version = String(Date.now() * 1024 + Math.floor(Math.random() * 1024));
      const source = deduped(`site = ${literal(site)} AND ${onDays(days)}`);
      for (const t of TABLES) await db.command(`INSERT INTO ${t.name} ${t.build(source, version)}`);
      const after = await prints(site, today);
      const settled = days.filter((d) => after.get(d) === before.get(d));
      if (settled.length)
        await db.command(`INSERT INTO rollup_days (site, day, print, version, built) VALUES ${settled
          .map((d) => `(${literal(site)}, ${d}, ${literal(before.get(d))}, ${version}, ${Date.now()})`).join(', ')}`);
      return settled.length;
    })().finally(() => running.delete(site));
    running.set(site, run);
    return run;
  };

  /**
   * The report's dialect for one range of whole days: each rollup day that is current, and the events of every
   * other day, each id once.
   * @param {Required<import('../metrics.js').Dialect>} raw the dialect that reads only the events (query-time dedupe)
   * @param {{ site: string, to: number }} q
   * @returns {Promise<{ dialect: import('../metrics.js').Dialect, stale: number }>} stale: finished days not yet rolled up
   */
  const dialect = async (raw, { site, to }) => {
    const now = await prints(site, to);
    const clean = await current(site, now);
    const dirty = [...now.keys()].filter((d) => !clean.has(d));
    const read = clean.size ? `(day, version) IN (${[...clean].map(([d, v]) => `(${d}, ${v})`).join(', ')})` : '0';
    const events = onDays(dirty);
    /** Rows of the rollup tables and of the events, for one event type. @param {string} type */
    const table = (type) => {
      const vital = type === 'web_vital';
      const columns = vital ? 'id, site, type, time, visitor_id, session_id, user_id, stage, vital, value' : TYPED_COLUMNS;
      const fresh = `SELECT ${vital ? VITAL_COLUMNS : TYPED_COLUMNS}
        FROM ${deduped(`site = {site} AND time < {to} AND ${events} AND ${vital ? VITAL_WHERE : `type = ${literal(type)}`}`)}`;
      return `(SELECT ${columns} FROM ${vital ? 'vitals' : 'typed'} WHERE site = {site} AND ${vital ? '' : `type = ${literal(type)} AND `}${read}
        UNION ALL ${fresh})`;
    };
    return {
      stale: dirty.filter((d) => d < Math.floor(Date.now() / DAY)).length,
      dialect: {
        ...raw,
        table: (type) => (type === 'web_vital' || TYPED.includes(type) ? table(type) : 'events'),
        // The rows of `table` are each id once already (rollups are built that way, the events part drops repeats).
        unique: (columns, where, from) => (from === 'events' ? raw.unique(columns, where, from) : `(SELECT ${columns} FROM ${from} WHERE ${where})`),
        facts: (of, range) => {
          const t = FACT_TABLES[of];
          const days = `site = {site} AND day >= intDiv({from}, ${DAY}) AND day < intDiv({to}, ${DAY}) AND ${read}`;
          return t.merged(`${t.stored(days)} UNION ALL ${t.states(deduped(`${range} AND ${events}`))}`);
        },
      },
    };
  };

  return {
    migrate,
    compact,
    dialect,
    factTables: Object.values(FACT_TABLES).map((t) => t.name),
    rowTables: Object.values(ROW_TABLES).map((t) => t.name),
  };
};

