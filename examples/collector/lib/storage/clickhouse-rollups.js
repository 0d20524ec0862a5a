// Daily rollups for the report on ClickHouse, built from the events, each id counted once: per session and per
// visitor the FACTS of metrics.js, per day the session totals, counts of equal values of the web vitals and
// engaged times, and the purchases and NPS answers.
// They are a cache, never the record: a day is read from them only while the events table still holds the
// rows they were built from (the same count and sum of receipt times). Any other day (a day that got late
// events or a retry, a merge, an erasure) is read from the events themselves, each id once, so the numbers are
// exact either way. Today is built up to its last full hour (a partial day), so a report reads only the last
// hour or two from the events. Ingest does not touch them: a write that half-failed or landed late can never
// leave them counting an event twice.
import { FACTS, KINDS, SESSION_SUMS, VITALS, factsOf, ofKinds, sessionTotals } from '../metrics.js';
import { randomBytes } from 'node:crypto';
import { bind, literal } from './literal.js';
import { SESSION_FACTS } from '../funnel.js';
import { CHECKOUT, checkoutLists } from '../commerce.js';
import { DAY, HOUR } from '../range.js';
import { DIMENSIONS, dimension } from '../breakdowns.js';
import { LCP_SAMPLE } from '../movement.js';

const CH = { countIf: (/** @type {string} */ c) => `countIf(${c})` };
// Names in text order, so that ORDER BY vital sorts the enum as DuckDB sorts the text.
const VITAL = `Enum8(${[...VITALS]
  .sort()
  .map((v, i) => `'${v}' = ${i + 1}`)
  .join(', ')})`;
// The event columns kept for the KINDS of metrics.js: what the report's metrics read of them, and who they belong to.
const TYPED_COLUMNS =
  'id, site, type, time, visitor_id, session_id, user_id, stage, page_type, value, currency, txn, engaged_ms, score, vital, items, props';
const VITAL_WHERE = `type = 'web_vital' AND value IS NOT NULL AND vital IN (${VITALS.map(literal).join(', ')})`;

/**
 * The event types the report takes medians and percentiles of, or counts each id of once, kept as counts of equal
 * values per day: far fewer rows than events (the tracker rounds what it measures; a stage change has 20 possible
 * values), and the quantile weighs each value by its count. `columns` are the ones the report reads; `cast` gives
 * the table's own type of a Nullable event column; `of` computes a column from the events' (else it is one of them).
 * @typedef {{ table: string, columns: string[], where: string, cast: Record<string, (x: string) => string>, order: string[],
 *   of?: Record<string, string> }} Counted
 * @type {Record<string, Counted>}
 */
const COUNTED = {
  web_vital: {
    table: 'vital_counts',
    columns: ['vital', 'stage', 'value'],
    where: VITAL_WHERE,
    cast: { vital: (x) => `CAST(assumeNotNull(${x}) AS ${VITAL})`, value: (x) => `assumeNotNull(${x})` },
    order: ['vital', 'stage'],
  },
  page_leave: {
    table: 'leave_counts',
    columns: ['page_type', 'engaged_ms'],
    where: "type = 'page_leave' AND engaged_ms IS NOT NULL",
    cast: { engaged_ms: (x) => `assumeNotNull(${x})` },
    order: ['page_type'],
  },
  // Counting each stage change's id once over the events took a tenth of the report at 10M events.
  stage_change: {
    table: 'transition_counts',
    columns: ['from_stage', 'to_stage'],
    where: "type = 'stage_change'",
    cast: {},
    order: ['from_stage', 'to_stage'],
    of: { from_stage: "visitParamExtractString(props, 'from')", to_stage: "visitParamExtractString(props, 'to')" },
  },
};
/** The events' columns a Counted is computed from. @param {Counted} c */
const countedReads = (c) => [...new Set(c.columns.map((n) => (c.of?.[n] ? 'props' : n)))].join(', ');
/**
 * How many events of `source` (matching the type's `where`) have each value of the columns, per `keys`.
 * (Grouped under other names: an alias named like its column would stand for it inside its own expression.)
 * @param {Counted} c @param {string} source @param {string[]} keys and how to compute them, `expr AS name`
 */
const counted = (c, source, keys = []) => {
  const names = keys.map((k) => k.split(' AS ').pop());
  const raw = c.columns.map((n) => `${c.of?.[n] ?? n} AS raw_${n}`);
  return `SELECT ${[...names, ...c.columns.map((n) => `${(c.cast[n] ?? ((x) => x))(`raw_${n}`)} AS ${n}`)].join(', ')}, n
    FROM (SELECT ${[...keys, ...raw].join(', ')}, count() AS n FROM ${source} WHERE ${c.where}
      GROUP BY ${[...names, ...c.columns.map((n) => `raw_${n}`)].join(', ')})`;
};

// What each reader takes of the events (never the wide url, title and props columns).
const FACT_COLUMNS = 'id, site, type, time, visitor_id, session_id, stage, source, campaign, ref';
const BUILD_COLUMNS = `${FACT_COLUMNS}, user_id, page_type, value, currency, txn, engaged_ms, score, vital, items, props, ${[
  ...new Set(Object.values(DIMENSIONS).map(([, x]) => x)),
].join(', ')}`;

/** Events of `where`, each id once. @param {string} columns @param {string} where */
const deduped = (columns, where) => `(SELECT ${columns} FROM events WHERE ${where} LIMIT 1 BY id)`;

/** @typedef {[kind: 'count' | 'max' | 'first', x?: string]} Fact */
/**
 * A fact over events as the events-only report computes it (each id counted once; a max or a first value over
 * every copy, which may carry another clock correction), and for a `first` value its time too (to combine by).
 */
const value = (/** @type {string} */ name, /** @type {Fact} */ [kind, x]) =>
  kind === 'count'
    ? `${x ? `uniqExactIf(id, ${x})` : 'uniqExact(id)'} AS ${name}`
    : kind === 'max'
      ? `max(${x}) AS ${name}`
      : `argMin(${x}, time) AS ${name}, minIf(time, ${x} IS NOT NULL) AS ${name}_time`;
/** The same fact over several rows of one key (a `first` value's NULLs are skipped by argMin). */
const combine = (/** @type {string} */ name, /** @type {Fact} */ [kind]) =>
  kind === 'count'
    ? `sum(${name}_part) AS ${name}`
    : kind === 'max'
      ? `max(${name}_part) AS ${name}`
      : `argMin(${name}_part, ${name}_time_part) AS ${name}`;

/**
 * One row per day and key (a session, a visitor) with its FACTS over that day's events. A session's row also
 * has `spans`, set when the session had events on another day too when the row was built (of two rows of one
 * session, the one built last saw the other's events, so at least one of them is set), and a hash of its id.
 * @param {keyof typeof FACTS} of
 */
const factsTable = (of) => {
  const { key, of: facts } = FACTS[of];
  const entries = /** @type {[string, Fact][]} */ (Object.entries(facts));
  const values = entries.map(([n, f]) => value(n, f)).join(', ');
  const parts = entries
    .flatMap(([n, [kind]]) => (kind === 'first' ? [n, `${n}_time`] : [n]))
    .map((c) => `${c} AS ${c}_part`)
    .join(', ');
  const name = `${of}s_daily`;
  return {
    name,
    order: ['site', 'day', 'version', key],
    /** @param {string} source @param {string} version @param {string} site a literal */
    build: (source, version, site) =>
      `SELECT site, intDiv(time, ${DAY}) AS day, toUInt64(${version}) AS version, ${key}, ${values}${
        of === 'session'
          ? `,
        ${key} IN (SELECT ${key} FROM events WHERE site = ${site} AND ${key} IN (SELECT ${key} FROM ${source})
          GROUP BY ${key} HAVING min(time) < ${DAY} * intDiv(max(time), ${DAY})) AS spans,
        sipHash64(${key}) AS hash, any(visitor) AS visitor_id`
          : ''
      }
      FROM (SELECT *, visitor_id AS visitor FROM ${source}) GROUP BY site, day, ${key}`,
    /**
     * Each key's FACTS from its stored rows (a FROM) and the events of `fresh` (a FROM).
     * @param {string} stored @param {string} fresh
     */
    combined: (stored, fresh) => `SELECT ${key}, ${entries.map(([n, f]) => combine(n, f)).join(', ')} FROM (
        SELECT ${key}, ${parts} FROM ${stored}
        UNION ALL SELECT ${key}, ${parts} FROM (SELECT ${key}, ${values} FROM ${fresh} GROUP BY ${key})
      ) GROUP BY ${key}`,
  };
};

const FACT_TABLES = { session: factsTable('session'), visitor: factsTable('visitor') };

const NEVER_T = 'toInt64(9007199254740991)';
/**
 * SESSION_FACTS of funnel.js over events, `x AS name` (`inRange`: a condition, every event of a rolled-up day of
 * the range is in it).
 * @param {string} inRange @param {string} [suffix] after each name
 */
const journeyValues = (inRange, suffix = '') =>
  Object.entries(SESSION_FACTS(inRange, NEVER_T))
    .map(
      ([n, [kind, x]]) =>
        `${kind === 'last' ? `argMax(${x}, time)` : kind === 'list' ? `groupArrayIf(time, ${x})` : `${kind}(${x})`} AS ${n}${suffix}`,
    )
    .join(', ');
// The checkout steps' per-session columns of commerce.js that SESSION_FACTS lack (`carts` and `buys` are its cart
// and purchase lists): the first view_item's time, the times of the other steps' events.
/** @type {Record<string, string>} */
const CHECKOUT_ROLLED = { cart: 'carts', purchase: 'buys' };
const CHECKOUT_LISTS = checkoutLists({ listIf: (x, cond) => `groupArrayIf(${x}, ${cond})`, never: NEVER_T });
const checkoutValues = CHECKOUT_LISTS.filter((_, i) => !Object.hasOwn(CHECKOUT_ROLLED, CHECKOUT[i][0])).join(', ');
const DIMS = Object.entries(DIMENSIONS);
/**
 * The breakdowns' values of a session over events (breakdowns.js), `x AS name`: its page views (repeats included),
 * each table's value `d_<table>`, and for a `first` or `last` value the time it had (to combine by).
 */
const dimValues = () =>
  [
    "countIf(type = 'page_view') AS pv",
    ...DIMS.map(([n, dim]) => {
      const [kind, x] = dim;
      const at = kind === 'min' ? '' : `, ${kind === 'first' ? 'min' : 'max'}If(time, ${x} IS NOT NULL) AS d_${n}_t`;
      return `${dimension({ firstBy: (v, t) => `argMin(${v}, ${t})` }, dim)} AS d_${n}${at}`;
    }),
  ].join(', ');
// A session's first LCP sample's value and stage, each with its time (to combine by; NULLs are skipped by argMin), over
// events: the report's LCP table (movement.js) reads them, not every sample.
const LCP_VALUES = [
  `argMin(CASE WHEN ${LCP_SAMPLE} THEN value END, time) AS lcp`,
  `minIf(time, ${LCP_SAMPLE} AND value IS NOT NULL) AS lcp_t`,
  `argMin(CASE WHEN ${LCP_SAMPLE} THEN stage END, time) AS lcp_st`,
  `minIf(time, ${LCP_SAMPLE} AND stage IS NOT NULL) AS lcp_st_t`,
].join(', ');
/** The columns of dimValues. */
const DIM_COLUMNS = ['pv', ...DIMS.flatMap(([n, [kind]]) => (kind === 'min' ? [`d_${n}`] : [`d_${n}`, `d_${n}_t`]))];
/**
 * Rows of parts of sessions (FROMs with visitor_id, session_id and DIM_COLUMNS) combined per `key` (`vis, sid` or
 * `sid`): the page views summed, each table's value as over all the events (a `first` value's NULLs are skipped by
 * argMin).
 * @param {string[]} parts @param {string} key
 */
const dimsCombined = (parts, key) => `SELECT ${key}, sum(pv_part) AS pv, ${DIMS.map(
  ([n, [kind]]) =>
    `${kind === 'min' ? `min(d_${n}_part)` : `argMin(d_${n}_part, ${kind === 'first' ? '' : '-'}d_${n}_t_part)`} AS d_${n}`,
).join(', ')}
    FROM (${parts
      .map(
        (p) => `SELECT visitor_id AS vis, session_id AS sid, ${DIM_COLUMNS.map((c) => `${c} AS ${c}_part`).join(', ')} FROM ${p}`,
      )
      .join(' UNION ALL ')})
    GROUP BY ${key}`;
/** A journey row's values over a session's events (journey_daily). */
const JOURNEY_VALUES = `${journeyValues('1')}, ${checkoutValues}, ${dimValues()}, ${LCP_VALUES}`;
/**
 * One row per day, visitor and session with its SESSION_FACTS over that day's events (every copy, as the funnel
 * reads them), the checkout steps' times, the breakdowns' values and the first LCP sample, with `spans` and `hash` as
 * in sessions_daily (and `vhash`, the visitor id's): a session none of whose rows has `spans` is one row. `spans` is
 * set too for a session id that more than one visitor has.
 */
const journeyTable = {
  name: 'journey_daily',
  order: ['site', 'day', 'version', 'visitor_id', 'session_id'],
  /** @param {string} source @param {string} version @param {string} site a literal */
  build: (
    source,
    version,
    site,
  ) => `SELECT site, intDiv(time, ${DAY}) AS day, toUInt64(${version}) AS version, visitor_id, session_id, ${JOURNEY_VALUES},
      session_id IN (SELECT session_id FROM events WHERE site = ${site} AND session_id IN (SELECT session_id FROM ${source})
        GROUP BY session_id
        HAVING min(time) < ${DAY} * intDiv(max(time), ${DAY}) OR uniqExact(visitor_id) > 1) AS spans,
      sipHash64(session_id) AS hash, sipHash64(visitor_id) AS vhash
    FROM ${source} GROUP BY site, day, visitor_id, session_id`,
  /**
   * Rows of the events of `from` (a FROM) as the table's, per visitor and session over all those events (every
   * session taken as having parts elsewhere): for days not rolled up. @param {string} from
   */
  fresh: (from) =>
    `SELECT visitor_id, session_id, ${JOURNEY_VALUES}, sipHash64(session_id) AS hash FROM ${from} GROUP BY visitor_id, session_id`,
  /**
   * The funnel's sessions from rows of parts (FROMs with visitor_id, session_id and `<fact>_part` columns).
   * @param {string[]} parts
   */
  combined: (parts) => `SELECT vis, ${Object.entries(SESSION_FACTS('1', NEVER_T))
    .map(
      ([n, [kind]]) =>
        `${kind === 'last' ? `argMax(${n}_part, last_at_part)` : kind === 'list' ? `groupArrayArray(${n}_part)` : `${kind}(${n}_part)`} AS ${n}`,
    )
    .join(', ')}
    FROM (${parts
      .map(
        (p) =>
          `SELECT visitor_id AS vis, session_id AS sid, ${Object.keys(SESSION_FACTS('1', NEVER_T))
            .map((n) => `${n}_part`)
            .join(', ')} FROM ${p}`,
      )
      .join(' UNION ALL ')})
    GROUP BY vis, sid`,
};
// The mark of a day that holds a copy of an event whose other copy is on another day (then its print).
const SPLIT = 'split:';
// In a partial day's print, before the time its rows end at (`slotted`).
const CUT = '@';
// A time after every event's: sessionTotals with every session taken as ended.
const NEVER = '9007199254740991';

/**
 * Per day, sessionTotals of each sessions_daily row taken as a whole session that has ended. Most sessions lie
 * within one day, so the report adds these up and corrects only for the sessions that do not: those with
 * a row marked `spans`, events on a day read from the events, or an event too recent to have ended.
 */
const totalsTable = {
  name: 'sessions_totals',
  order: ['site', 'day', 'version'],
  /** @param {string} _source @param {string} version @param {string} site a literal */
  build: (_source, version, site) =>
    `SELECT ${site} AS site, day, toUInt64(${version}) AS version, source, campaign, ref, ${SESSION_SUMS.join(', ')}
      FROM (${sessionTotals(CH, `(SELECT * FROM sessions_daily WHERE site = ${site} AND version = ${version})`, NEVER, 'day')})`,
};
/** @param {string} columns @param {string} where @param {string[]} order */
const rowsTable = (/** @type {string} */ name, columns, where, order) => ({
  name,
  order: ['site', ...order, 'day', 'version', 'time'],
  /** @param {string} source @param {string} version */
  // Filtered in a subquery: an alias such as `vital` would otherwise stand for its column in the WHERE too.
  build: (source, version) =>
    `SELECT intDiv(time, ${DAY}) AS day, toUInt64(${version}) AS version, ${columns} FROM (SELECT * FROM ${source} WHERE ${where})`,
});
/** @param {keyof typeof COUNTED} type */
const countsTable = (type) => {
  const c = COUNTED[type];
  return {
    name: c.table,
    counted: true,
    order: ['site', ...c.order, 'day', 'version', ...c.columns.filter((n) => !c.order.includes(n))],
    // The report's filters read `time` and `type` too: ALIAS columns answer them, at no cost (a day's rows are
    // read for whole days only, so its first millisecond stands for its events' times).
    aliases: { time: `day * ${DAY}`, type: literal(type) },
    /** @param {string} source @param {string} version */
    build: (source, version) =>
      `SELECT site, day, toUInt64(${version}) AS version, ${c.columns.join(', ')}, n FROM (${counted(c, source, ['site', `intDiv(time, ${DAY}) AS day`])})`,
  };
};
const ROW_TABLES = {
  typed: rowsTable('typed', TYPED_COLUMNS, ofKinds(/** @type {(keyof typeof KINDS)[]} */ (Object.keys(KINDS))), ['type']),
  vital_counts: countsTable('web_vital'),
  leave_counts: countsTable('page_leave'),
  transition_counts: countsTable('stage_change'),
};
// In build order: the totals read the sessions' rows.
const TABLES = [...Object.values(FACT_TABLES), totalsTable, ...Object.values(ROW_TABLES), journeyTable];
/**
 * Rows of `build` (a SELECT with a `day`) with the partition they go to: 0 for whole days; a partial day's is one of
 * SLOTS, taken in turn by the hour of its cut. A build whose cut is at hour h first empties the slot of hour h + 2,
 * which holds rows (every site's) cut two hours before or earlier: dropping a partition costs nothing, where deleting
 * rows rewrites parts. So a partial day is read only until PARTIAL_LIFE after its cut, before its slot is emptied.
 * @param {string} build @param {{ day: number, cut: number }} [partial]
 */
const slotted = (build, partial) =>
  `SELECT *, toUInt8(${partial ? `if(day = ${partial.day}, ${slotOf(partial.cut)}, 0)` : 0}) AS slot FROM (${build})`;
const SLOTS = 4;
const slotOf = (/** @type {number} */ cut) => 1 + (Math.floor(cut / HOUR) % SLOTS);
// Today's cut at `now`: the last full hour that ended CUT_DELAY ago or more. An event before the cut that arrives after
// the build leaves today on the events until built again: the delay leaves time for beacons retried or sent from the
// next page, while the events after the cut cost little to read (an hour or two of a day's).
const CUT_DELAY = 30 * 60_000;
const cutOf = (/** @type {number} */ now) => Math.floor((now - CUT_DELAY) / HOUR) * HOUR;
// The slot of cut h is emptied by the first build whose cut is h + 2, made CUT_DELAY after h + 2 at the earliest.
const PARTIAL_LIFE = 2 * HOUR + CUT_DELAY - 20 * 60_000;
// How often a report asks for today's build again while today is read from the events.
const RETRY_TODAY = 10 * 60_000;
const PARTITION = 'PARTITION BY slot';
/**
 * The same interpolated quantile as the events' (see clickhouse.js), of values that come with counts `w`:
 * ranks i and i + 1 (from 0) are the first values whose running count passes them.
 * @param {string} x @param {number} q
 */
const weightedQuantile = (x, q) => {
  const sorted = `arraySort(groupArray((${x}, w)))`;
  const values = `arrayMap(t -> t.1, ${sorted})`;
  const upTo = `arrayCumSum(arrayMap(t -> t.2, ${sorted}))`;
  const p = `(${q} * (sum(w) - 1))`;
  const i = `toUInt64(floor(${p}))`;
  const lo = `${values}[arrayFirstIndex(c -> c > ${i}, ${upTo})]`;
  const hi = `${values}[arrayFirstIndex(c -> c > least(${i} + 1, sum(w) - 1), ${upTo})]`;
  return `(${lo} + (${p} - ${i}) * (${hi} - ${lo}))`;
};

/**
 * The rows of these (day, version) pairs: per version, runs of days. Comparing numbers costs far less than
 * a tuple IN over millions of rows, and the table's key can use the ranges.
 * @param {Map<number, number>} clean day → version
 */
const rolledUp = (clean) => {
  /** @type {Map<number, number[]>} */
  const byVersion = new Map();
  for (const [d, v] of clean) byVersion.set(v, [...(byVersion.get(v) ?? []), d]);
  const terms = [...byVersion].map(([v, days]) => `(version = ${v} AND ${onDays(days, 'day', 1)})`);
  return terms.length ? `(${terms.join(' OR ')})` : '0';
};

/**
 * @param {number[]} days @param {string} [column] @param {number} [unit] what a day is in `column`
 * @returns {string} a condition on `column`: one of these UTC days (ranges, which the key can use)
 */
const onDays = (days, column = 'time', unit = DAY) => {
  /** @type {[number, number][]} */
  const runs = [];
  for (const d of [...days].sort((a, b) => a - b)) {
    const last = runs[runs.length - 1];
    if (last && last[1] === d) last[1] = d + 1;
    else runs.push([d, d + 1]);
  }
  return runs.length ? `(${runs.map(([a, b]) => `(${column} >= ${a * unit} AND ${column} < ${b * unit})`).join(' OR ')})` : '0';
};

/**
 * @param {{ query: (sql: string, params?: Record<string, string | number>, background?: boolean) => Promise<Record<string, any>[]>,
 *   command: (sql: string, background?: boolean) => Promise<void>, columns: (sql: string) => Promise<{ name: string, type: string }[]> }} db
 *   columns: the names and types of a query's result; background: a build's, which yields to the rest
 */
export const createRollups = (db) => {
  /**
   * Tables, created when missing (by any collector; `IF NOT EXISTS` makes a second one's attempt a no-op).
   * Rollups made by a collector whose tables differed (an older version) are dropped and built again: they are
   * a cache, and a day's record would otherwise point at rows of another shape.
   */
  const migrateOnce = async () => {
    // Each table has the columns of its build over no rows. The text of these queries names the tables' shape.
    const empty = TABLES.map((t) => slotted(t.build(`(SELECT ${BUILD_COLUMNS} FROM events WHERE 0)`, '0', "''")));
    const schema = TABLES.map(
      (t, i) =>
        `CREATE TABLE IF NOT EXISTS ${t.name} ENGINE = MergeTree ${PARTITION} ORDER BY (${t.order.join(', ')})\n        AS ${empty[i]}`,
    ).join(';\n');
    await db.command(
      'CREATE TABLE IF NOT EXISTS rollup_schema (text String, at Int64) ENGINE = ReplacingMergeTree(at) ORDER BY tuple()',
    );
    // Whether anything is built, then (after) which schema is recorded: in one query a collector could read no
    // schema yet, then the table of one starting next to it, and drop that one's tables while it makes them.
    const [{ built }] = await db.query(
      "SELECT count() AS built FROM system.tables WHERE database = currentDatabase() AND name = 'rollup_days'",
    );
    const [{ text }] = await db.query('SELECT argMax(text, at) AS text FROM rollup_schema');
    if (text !== schema) {
      // Recorded before any table is made: a collector starting next to this one then finds this schema, or
      // finds nothing built, and drops nothing.
      await db.command(`INSERT INTO rollup_schema VALUES (${literal(schema)}, ${Date.now()})`);
      if (text || built)
        for (const t of ['rollup_days', ...TABLES.map((t) => t.name)]) await db.command(`DROP TABLE IF EXISTS ${t}`);
    }
    await db.command(`CREATE TABLE IF NOT EXISTS rollup_days (site String, day Int64, print String, version UInt64, built Int64)
      ENGINE = ReplacingMergeTree(built) ORDER BY (site, day)`);
    // Not `CREATE … AS SELECT`: two of them at once on a new database fail on current releases ("Context has
    // expired", 26.7), and two collectors may start together. A plain CREATE with the columns the build's query
    // has (asked with no rows) is a no-op for the second one. In build order: the totals read the sessions' table.
    for (const [i, t] of TABLES.entries()) {
      const columns = (await db.columns(empty[i])).map((c) => `\`${c.name}\` ${c.type}`);
      await db.command(
        `CREATE TABLE IF NOT EXISTS ${t.name} (${columns.join(', ')}) ENGINE = MergeTree ${PARTITION} ORDER BY (${t.order.join(', ')})`,
      );
    }
    for (const t of TABLES) {
      if (!('aliases' in t)) continue;
      const have = new Set(
        (await db.query(`SELECT name FROM system.columns WHERE database = currentDatabase() AND table = ${literal(t.name)}`)).map(
          (r) => r.name,
        ),
      );
      for (const [name, expr] of Object.entries(/** @type {Record<string, string>} */ (t.aliases)))
        if (!have.has(name))
          await db
            .command(`ALTER TABLE ${t.name} ADD COLUMN ${name} ${name === 'time' ? 'Int64' : 'String'} ALIAS ${expr}`)
            .catch((e) => {
              // Another collector starting at the same time may have added it.
              if (!/already exists/i.test(String(e))) throw e;
            });
    }
  };

  // Collectors of a new version starting together on rollups of an older one may each find the older schema, and
  // drop the tables another is making. Only a first pass that read the older schema drops anything, so after a few
  // passes every collector finds this schema and only makes what is missing.
  const migrate = async () => {
    for (let pass = 1; ; pass++)
      try {
        return await migrateOnce();
      } catch (e) {
        if (pass >= 5) throw e;
        await new Promise((r) => setTimeout(r, 100 * pass));
      }
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
    const parts = (
      await db.query(
        "SELECT name FROM system.parts WHERE database = currentDatabase() AND table = 'events' AND active ORDER BY name",
      )
    )
      .map((r) => r.name)
      .join(' ');
    const key = `${site}\n${to}`;
    const known = seen.get(key);
    if (known?.parts === parts) return known.days;
    const rows = await db.query(
      `SELECT intDiv(time, ${DAY}) AS day, concat(toString(count()), ':', toString(sum(received))) AS print
      FROM events WHERE site = {site} AND time < {to} GROUP BY day`,
      { site, to },
    );
    const days = new Map(rows.map((r) => [r.day, r.print]));
    // One entry per site and end of range: a long-running process forgets old ones rather than keep them all.
    if (seen.size > 1000) seen.clear();
    seen.set(key, { parts, days });
    return days;
  };

  /**
   * The print of a partial day: what the events hold of `day` before `cut`, as in `prints`, then the cut (none
   * without events).
   * @param {string} site @param {number} day @param {number} cut @returns {Promise<string | undefined>}
   */
  const partPrint = async (site, day, cut) => {
    const [r] = await db.query(
      `SELECT count() AS n, concat(toString(count()), ':', toString(sum(received)), '${CUT}', toString(toInt64({cut}))) AS print
      FROM events WHERE site = {site} AND time >= {from} AND time < {cut}`,
      { site, from: day * DAY, cut },
    );
    return Number(r.n) ? r.print : undefined;
  };

  /**
   * The days whose rollups still match the events (day → the version to read), the days known to hold a
   * copy of an event whose other copy is on another day (never rolled up: see `compact`), and the days last
   * built as partial days (their rows hold the events before `cut`), yet to be checked against the events.
   * @param {string} site @param {Map<number, string>} now
   */
  const current = async (site, now) => {
    const built = await db.query(
      'SELECT day, tupleElement(latest, 1) AS p, tupleElement(latest, 2) AS v FROM (SELECT day, argMax((print, version), built) AS latest FROM rollup_days WHERE site = {site} GROUP BY day)',
      { site },
    );
    /** @type {Map<number, number>} */
    const clean = new Map();
    /** @type {Set<number>} */
    const split = new Set();
    /** @type {{ day: number, cut: number, print: string, version: number }[]} */
    const partials = [];
    for (const b of built) {
      if (now.get(b.day) === b.p) clean.set(b.day, b.v);
      else if (`${SPLIT}${now.get(b.day)}` === b.p) split.add(b.day);
      else if (b.p.includes(CUT)) partials.push({ day: b.day, cut: Number(b.p.split(CUT)[1]), print: b.p, version: b.v });
    }
    return { clean, split, partials };
  };

  /**
   * A table of this report's, `<kind>_<time made>_<random>` (Memory: gone with the server too), made by `select`.
   * One a report of another process left (stopped mid-report) is dropped an hour later.
   * @param {'segment' | 'recent'} kind @param {string} select @returns {Promise<string>} its name
   */
  const scratchTable = async (kind, select) => {
    const old = await db.query(`SELECT name FROM system.tables WHERE database = currentDatabase() AND name LIKE '${kind}\\_%'`);
    for (const { name } of old)
      if (Number(name.split('_')[1]) < Date.now() - 3_600_000) await db.command(`DROP TABLE IF EXISTS ${name}`);
    const name = `${kind}_${Date.now()}_${randomBytes(6).toString('hex')}`;
    await db.command(`CREATE TABLE ${name} ENGINE = Memory AS ${select}`);
    return name;
  };

  /** @type {Map<string, Promise<number>>} */
  const running = new Map();
  /** @type {Map<string, number>} when each site's last build here tried today */
  const tried = new Map();
  /** @type {Set<string>} */
  const erasing = new Set();
  /**
   * Run `task` (an erasure) with no build of the site's rollups under way in this process: a build that read
   * the events before they were deleted would write the erased visitor's rows back after.
   * @template T @param {string} site @param {() => Promise<T>} task @returns {Promise<T>}
   */
  const withoutBuilds = async (site, task) => {
    erasing.add(site);
    try {
      await running.get(site)?.catch(() => {});
      return await task();
    } finally {
      erasing.delete(site);
    }
  };
  /**
   * Build the rollups of every finished day (before today, UTC) whose events changed since, and of today up to its
   * last full hour (a partial day) unless built so already, in one pass per table. A day is recorded only if it did
   * not change while it was read; otherwise it stays on the events until the next time. Returns how many days
   * (a partial one included) were recorded.
   * @param {string} site @param {number} [now]
   */
  const compact = (site, now = Date.now()) => {
    const todo = running.get(site);
    if (todo) return todo;
    if (erasing.has(site)) return Promise.resolve(0);
    const run = (async () => {
      const today = Math.floor(now / DAY) * DAY;
      const cut = cutOf(now);
      const before = await prints(site, today);
      const { clean, split, partials } = await current(site, before);
      const days = [...before.keys()].filter((d) => !clean.has(d) && !split.has(d));
      tried.set(site, now);
      const part = cut > today ? await partPrint(site, today / DAY, cut) : undefined;
      let partial = part && !partials.some((p) => p.print === part) ? { day: today / DAY, cut } : undefined;
      if (!days.length && !partial) return 0;
      // A retry stored with another clock correction can put its copy on another day than the original's (or on the
      // other side of today's cut). Each day's rollups would count it, where the events-only report counts it once:
      // such days (all of them, built already or not) stay on the events, and finished ones are marked so that they
      // are not built again until they change.
      // (Both copies of such an event are found once the later one's day is built: a build of a few days looks only
      // at the ids of their events, far fewer to group than all.)
      const slice = `intDiv(time, ${DAY}) * 2 + (time >= ${cut})`;
      // The events a build reads: its days, and today before the cut.
      const built = (/** @type {typeof partial} */ p) =>
        `(${onDays(days)}${p ? ` OR (time >= ${today} AND time < ${cut})` : ''})`;
      const theirs = days.length <= 7 ? ` AND id IN (SELECT id FROM events WHERE site = {site} AND ${built(partial)})` : '';
      const copies = await db.query(
        `SELECT DISTINCT intDiv(time, ${DAY}) AS day FROM events WHERE site = {site} AND id IN (
        SELECT id FROM events WHERE site = {site}${theirs} GROUP BY id HAVING min(${slice}) < max(${slice}))`,
        { site },
        true,
      );
      const apart = new Set(copies.map((r) => r.day));
      const marks = [...apart].filter((d) => before.has(d));
      if (marks.length)
        await db.command(
          `INSERT INTO rollup_days (site, day, print, version, built) VALUES ${marks
            .map((d) => `(${literal(site)}, ${d}, ${literal(`${SPLIT}${before.get(d)}`)}, 0, ${Date.now()})`)
            .join(', ')}`,
        );
      if (partial && apart.has(partial.day)) partial = undefined;
      if (!days.length && !partial) return 0;
      // Random, 53 bits: two processes building at once never share a version (each reads only its own rows).
      const version = String(randomBytes(8).readBigUInt64BE() >> 11n);
      const where = `site = ${literal(site)} AND ${built(partial)}`;
      // Counts of values from one copy of each event; the rest from every copy, as the events-only report reads them.
      const sources = { all: `(SELECT ${BUILD_COLUMNS} FROM events WHERE ${where})`, once: deduped(BUILD_COLUMNS, where) };
      if (partial) for (const t of TABLES) await db.command(`ALTER TABLE ${t.name} DROP PARTITION ${slotOf(cut + 2 * HOUR)}`);
      for (const t of TABLES)
        await db.command(
          `INSERT INTO ${t.name} ${slotted(t.build('counted' in t ? sources.once : sources.all, version, literal(site)), partial)}`,
          true,
        );
      const after = await prints(site, today);
      /** @type {[number, string][]} */
      const settled = days.filter((d) => after.get(d) === before.get(d) && !apart.has(d)).map((d) => [d, String(before.get(d))]);
      if (partial && (await partPrint(site, partial.day, cut)) === part) settled.push([partial.day, String(part)]);
      if (settled.length)
        await db.command(
          `INSERT INTO rollup_days (site, day, print, version, built) VALUES ${settled
            .map(([d, print]) => `(${literal(site)}, ${d}, ${literal(print)}, ${version}, ${Date.now()})`)
            .join(', ')}`,
        );
      return settled.length;
    })().finally(() => running.delete(site));
    running.set(site, run);
    return run;
  };

  /**
   * The report's dialect for one range of whole days: each rollup day that is current (a partial day up to its
   * cut), and the events of every other day and after the cut, each id once. With `sessions` (the report's filters:
   * a SELECT of session_id, filters.js), only the events of those sessions: the rows of sessions and events where it
   * is a WHERE, the events where the rollups hold
   * other sessions too (the day totals of sessions and of visitors, the counts of values). Those sessions' ids are
   * found once, into a table of this report's (`release` drops it): they are read in many places of a query, and
   * ClickHouse would compute each IN of them anew.
   * @param {Required<import('../metrics.js').Dialect>} all the dialect that reads only the events (query-time dedupe)
   * @param {{ site: string, from?: number, to: number, at?: number, sessions?: string, params?: Record<string, string | number> }} q
   *   at: the report's time; params: the values of the parameters of `sessions`
   * @returns {Promise<{ dialect: import('../metrics.js').Dialect, stale: number, release: () => Promise<void> }>}
   *   stale: finished days not yet rolled up, and today if not rolled up to its last full hour
   */
  const dialect = async (all, { site, from = 0, to, at = Date.now(), sessions = '', params = {} }) => {
    const now = await prints(site, to);
    const { clean, split, partials } = await current(site, now);
    // A partial day is read from its rows before its cut, and from the events after, while its slot stands and the
    // events before its cut are those it was built from.
    /** @type {typeof partials} */
    const cuts = [];
    for (const p of partials)
      if (at < p.cut + PARTIAL_LIFE && (await partPrint(site, p.day, p.cut)) === p.print) {
        clean.set(p.day, p.version);
        cuts.push(p);
      }
    const dirty = [...now.keys()].filter((d) => !clean.has(d));
    const hourCut = cutOf(at);
    const segment = sessions && (await scratchTable('segment', bind(sessions, params).query));
    const cond = segment && `session_id IN ${segment}`;
    const seg = cond && ` AND ${cond}`;
    /** @type {typeof all} */
    const raw = cond ? { ...all, from: (w) => all.from(`${w}${seg}`), scan: (w) => all.scan(`${w}${seg}`) } : all;
    // (Every table of rows read through `read` or `inRange` has the sessions' ids: the others are not read with `cond`.)
    const read = `${rolledUp(clean)}${seg}`;
    const tails = cuts.map((p) => ` OR (time >= ${p.cut} AND time < ${(p.day + 1) * DAY})`).join('');
    const events = `(${onDays(dirty)}${tails})${seg}`;
    // The partial days: a visitor of one may have rows and events of it both.
    const partDays = onDays(
      cuts.map((p) => p.day),
      'day',
      1,
    );
    // The rollup rows of the report's range (day-keyed tables).
    const inRange = `site = {site} AND day >= intDiv({from}, ${DAY}) AND day < intDiv({to}, ${DAY}) AND ${read}`;
    /**
     * The events of KINDS matching `cond` with the events' columns: from the rollups of the current days, and from
     * the events of the others (every copy, as the events-only report reads them).
     * @param {string} cond
     */
    const rows = (cond) => `(SELECT ${TYPED_COLUMNS} FROM typed WHERE site = {site} AND ${cond} AND ${read}
      UNION ALL SELECT ${TYPED_COLUMNS} FROM events WHERE site = {site} AND time < {to} AND ${cond} AND ${events})`;
    /**
     * The events of a counted type matching `where`, as counts `w` of each value of `columns`: the day counts of
     * the current days, and the events of the others, each id once. `where` goes into both halves, where the
     * tables' keys and PREWHERE can use it.
     * @param {keyof typeof COUNTED} type @param {string} columns @param {string} where
     */
    const counts = (type, columns, where) => {
      const c = COUNTED[type];
      const fresh = deduped(`id, time, type, ${countedReads(c)}`, `site = {site} AND ${where} AND ${events}`);
      return `(SELECT ${columns}, sum(n) AS w FROM (
          SELECT ${c.columns.join(', ')}, n FROM ${c.table} WHERE site = {site} AND ${read} AND ${where}
          UNION ALL ${counted(c, fresh)}
        ) GROUP BY ${columns})`;
    };
    // The sessions of the range's events read from the events (its days not rolled up) as journey rows, made once
    // for this report: the funnel, the breakdowns, the checkout steps and the LCP table each read them (each grouping
    // the events anew took a fifth of the report at 10M events). No such days: journey_daily's empty stand-in.
    // (A FROM with its WHERE.)
    const recent =
      [...dirty, ...cuts.map((p) => p.day)].some((d) => d * DAY >= from && d * DAY < to) &&
      (await scratchTable(
        'recent',
        journeyTable.fresh(
          `events WHERE site = ${literal(site)} AND time >= ${literal(from)} AND time < ${literal(to)} AND ${events}`,
        ),
      ));
    const fresh = recent ? `${recent} WHERE 1` : 'journey_daily WHERE 0';
    // The hashes of the sessions whose journey rows are not whole: parts on several days, events read from the events.
    const parted = `(SELECT hash FROM journey_daily WHERE ${inRange} AND spans UNION ALL SELECT hash FROM ${fresh})`;
    // The same of sessions_daily (whose `spans` leaves out sessions two visitors share: it is keyed by the session).
    const partedSessions = `(SELECT hash FROM sessions_daily WHERE ${inRange} AND spans UNION ALL SELECT hash FROM ${fresh})`;
    /** The range's journey rows of whole sessions (`alone`), or of the others. @param {boolean} alone */
    const own = (alone) => `journey_daily WHERE ${inRange} AND hash ${alone ? 'NOT IN' : 'IN'} ${parted}`;
    return {
      release: async () => {
        for (const t of [segment, recent]) if (t) await db.command(`DROP TABLE IF EXISTS ${t}`);
      },
      // Finished days not rolled up, or today not up to its last full hour (tried again only so often: late events or
      // a copy of an event on each side of the cut can keep it on the events).
      stale:
        dirty.filter((d) => d < Math.floor(at / DAY) && !split.has(d)).length +
        Number(
          hourCut > Math.floor(at / DAY) * DAY &&
            now.has(Math.floor(at / DAY)) &&
            !cuts.some((p) => p.cut === hourCut) &&
            !(at - (tried.get(site) ?? -Infinity) < RETRY_TODAY),
        ),
      dialect: {
        ...raw,
        table: (type) =>
          Object.hasOwn(KINDS, type) ? rows(`type = ${literal(type)}`) : cond ? `(SELECT * FROM events WHERE ${cond})` : 'events',
        typed: (kinds, where) => rows(`${ofKinds(kinds)} AND ${where}`),
        // The range's days from their rows, the other days of the range from the events, and the visitors' purchases
        // before the range (from the rows of purchases) as sessions not begun in it.
        // A session whose in-range part is one row (no `spans`, no events of the range read from the events) is
        // that row as it is: only the others are combined. Found by a hash of the id, as in `sessions` (a collision
        // only combines a session that did not need it). Its purchases before the range may stay a row apart:
        // they begin no session in the range (`started` is never), and the funnel takes only mins, maxes and
        // lists of the rest per visitor.
        journey: () => {
          const names = Object.keys(SESSION_FACTS('1', NEVER_T));
          const parts = (/** @type {string} */ from) =>
            `(SELECT visitor_id, session_id, ${names.map((n) => `${n} AS ${n}_part`).join(', ')} FROM ${from})`;
          return `SELECT visitor_id AS vis, ${names.join(', ')} FROM ${own(true)}
            UNION ALL ${journeyTable.combined([
              parts(own(false)),
              parts(fresh),
              `(SELECT visitor_id, session_id, ${journeyValues('time >= {from}', '_part')} FROM ${rows(`type = 'purchase' AND time < {from}`)} GROUP BY visitor_id, session_id)`,
            ])}`;
        },
        // The breakdowns' sessions from the journey rows, as in `journey`: only sessions of several rows, or with
        // events of the range read from the events, are combined. The buyers' orders from the rows of purchases.
        dims: (_range, of) => {
          const parts = (/** @type {string} */ from) => `(SELECT visitor_id, session_id, ${DIM_COLUMNS.join(', ')} FROM ${from})`;
          const names = DIMS.map(([n]) => `d_${n}`);
          if (of === 'visit') {
            return `SELECT visitor_id AS vis, pv, ${names.join(', ')} FROM ${own(true)}
              UNION ALL SELECT vis, pv, ${names.join(', ')} FROM (${dimsCombined(
                [parts(own(false)), parts(fresh)],
                'vis, sid',
              )})`;
          }
          const bought = rows("type = 'purchase' AND time >= {from} AND time < {to}");
          const buyers = `session_id IN (SELECT session_id FROM ${bought})`;
          // Their rows found by a hash of the id, far cheaper to read than the text: a collision only combines
          // another session too, which the join by id never matches.
          const hashed = `hash IN (SELECT sipHash64(session_id) FROM ${bought})`;
          return `SELECT ${names.map((n) => `coalesce(${n}, '') AS ${n}`).join(', ')}, orders, cur, spent FROM (
              SELECT session_id, uniqExact(coalesce(txn, toString(id))) AS orders, coalesce(min(currency), '') AS cur, sum(value) AS spent
              FROM (SELECT session_id, id, txn, currency, value FROM ${bought} LIMIT 1 BY id) GROUP BY session_id) AS sold
            ANY LEFT JOIN (SELECT sid AS session_id, ${names.join(', ')} FROM (${dimsCombined(
              [parts(`journey_daily WHERE ${inRange} AND ${hashed}`), parts(`${fresh} AND ${buyers}`)],
              'sid',
            )})) AS dims USING session_id`;
        },
        // Distinct visitors per breakdown row counted by a 64-bit hash of the id: a third of the report's time when
        // counted by the text, at 10M events. Exact unless two of the range's visitors share a hash (about 5 in a
        // billion at 400,000 visitors), which the funnel finds: then buildReport counts them by their ids.
        visitorKey: (vis) => `sipHash64(${vis})`,
        // The LCP table's sessions from the journey rows, as in `journey`: only sessions of several rows, or with events
        // of the range read from the events, are combined.
        lcp: () => `SELECT lcp, lcp_st AS st, bought_s AS bought FROM ${own(true)} AND lcp IS NOT NULL
          UNION ALL SELECT argMin(v, v_t) AS lcp, argMin(s, s_t) AS st, max(b) AS bought FROM (
            SELECT session_id, lcp AS v, lcp_t AS v_t, lcp_st AS s, lcp_st_t AS s_t, bought_s AS b FROM ${own(false)}
            UNION ALL SELECT session_id, lcp AS v, lcp_t AS v_t, lcp_st AS s, lcp_st_t AS s_t, bought_s AS b FROM ${fresh})
          GROUP BY session_id`,
        // The checkout steps' sessions (commerce.js) from the journey rows, as in `journey`: only sessions of
        // several rows, or with events of the range read from the events, are combined.
        checkout: () => {
          const columns = CHECKOUT.map(
            ([step], i) => `${i ? `${CHECKOUT_ROLLED[step] ?? `l_${step}`} AS l_${step}` : `t_${step}`}`,
          ).join(', ');
          const combined = CHECKOUT.map(([step], i) =>
            i ? `groupArrayArray(l_${step}) AS l_${step}` : `min(t_${step}) AS t_${step}`,
          ).join(', ');
          // (Sessions with none of the steps' events count at none of them.)
          const any = CHECKOUT.map(([step], i) =>
            i ? `notEmpty(${CHECKOUT_ROLLED[step] ?? `l_${step}`})` : `t_${step} < ${NEVER_T}`,
          ).join(' OR ');
          return `(SELECT ${columns} FROM ${own(true)} AND (${any})
            UNION ALL SELECT ${combined} FROM (
              SELECT session_id, ${columns} FROM ${own(false)}
              UNION ALL SELECT session_id, ${columns} FROM ${fresh})
            GROUP BY session_id)`;
        },
        // A session's first event and first purchase are its journey rows' earliest `started` and `first_buy_s`. The
        // rows found by a hash of the visitor id, far cheaper to look up than the text: a collision only adds a visitor
        // who bought nothing in the range, whom the first purchases leave out.
        visits: (visitors) => `SELECT vis, min(began) AS began, min(bought) AS bought FROM (
            SELECT visitor_id AS vis, session_id AS sid, started AS began, first_buy_s AS bought FROM journey_daily
              WHERE site = {site} AND day < intDiv({to}, ${DAY}) AND ${read} AND vhash IN (SELECT sipHash64(visitor_id) FROM (${visitors}))
            UNION ALL SELECT visitor_id AS vis, session_id AS sid, min(time) AS began, min(CASE WHEN type = 'purchase' THEN time ELSE ${NEVER_T} END) AS bought
              FROM events WHERE site = {site} AND time < {to} AND ${events} AND visitor_id IN (${visitors}) GROUP BY visitor_id, session_id)
          GROUP BY vis, sid`,
        // A visitor's row of a day says they had an event that day (a partial day's are counted with its events'); a
        // session is counted on the first day it has a row or events, if it has a page view on any of them
        // (sessions_daily's pv counts them).
        daily: (of, range) => {
          const rolled = cond ? 'journey_daily' : 'visitors_daily';
          return of === 'visitors'
            ? `SELECT day AS b, ${cond ? 'uniqExact(visitor_id)' : 'count()'} AS visitors FROM ${rolled} WHERE ${inRange} AND NOT ${partDays} GROUP BY day
              UNION ALL SELECT b, uniqExact(vis) AS visitors FROM (
                SELECT day AS b, visitor_id AS vis FROM ${rolled} WHERE ${inRange} AND ${partDays}
                UNION ALL SELECT intDiv(time, ${DAY}) AS b, visitor_id AS vis FROM events WHERE ${range} AND ${events})
              GROUP BY b`
            : // A session whose in-range part is one row (no `spans`, no events read from the events) is that row; only
              // the others are combined, found by a hash of the id as in `journey`.
              `SELECT b, sum(n) AS sessions FROM (
                SELECT day AS b, count() AS n FROM sessions_daily WHERE ${inRange} AND pv > 0 AND hash NOT IN ${partedSessions} GROUP BY b
                UNION ALL SELECT b, count() AS n FROM (
                  SELECT min(day) AS b, sum(pv) AS views FROM (
                    SELECT session_id, day, pv FROM sessions_daily WHERE ${inRange} AND hash IN ${partedSessions}
                    UNION ALL SELECT session_id, intDiv(time, ${DAY}) AS day, countIf(type = 'page_view') AS pv FROM events WHERE ${range} AND ${events}
                    GROUP BY session_id, day)
                  GROUP BY session_id)
                WHERE views > 0 GROUP BY b)
              GROUP BY b`;
        },
        // From the day counts, unfiltered (they hold no session ids).
        ...(!cond && {
          changes: () =>
            `SELECT from_stage, to_stage, w FROM ${counts('stage_change', 'from_stage, to_stage', "time >= {from} AND time < {to} AND type = 'stage_change'")}`,
        }),
        // Filtered: the segment's samples from the rows of KINDS (keyed by type: far fewer read than of the events),
        // each id once.
        unique: (columns, where, type) =>
          cond
            ? `(SELECT ${columns}, 1 AS w FROM (SELECT id, ${columns} FROM ${rows(`type = ${literal(type)} AND ${where}`)} LIMIT 1 BY id))`
            : counts(type, columns, where),
        quantile: weightedQuantile,
        facts: (of, range) => {
          if (cond && of === 'visitor') return factsOf(raw, of, range);
          const t = FACT_TABLES[of];
          return t.combined(
            `(SELECT * FROM ${t.name} WHERE ${inRange})`,
            `(SELECT ${FACT_COLUMNS} FROM events WHERE ${range} AND ${events})`,
          );
        },
        // The day totals of the range, less the rows of the sessions they take wrongly as whole and ended, plus
        // those sessions computed whole: from their rows and the events of the days read from the events.
        sessions: (totals, range) => {
          const where = `${range} AND ${events}`;
          const ended = raw.param('ended');
          if (cond)
            return totals(
              `(${FACT_TABLES.session.combined(`(SELECT * FROM sessions_daily WHERE ${inRange})`, `(SELECT ${FACT_COLUMNS} FROM events WHERE ${where})`)})`,
              ended,
            );
          // Found by a hash of the id, far cheaper to look up than the text: a collision only adds a session
          // that did not need it, taken out of the totals and added back whole, the same.
          const corrected = `(SELECT hash FROM sessions_daily WHERE ${inRange} AND (spans OR last_time >= ${ended})
            UNION ALL SELECT sipHash64(session_id) FROM events WHERE ${where})`;
          const theirRows = `(SELECT * FROM sessions_daily WHERE ${inRange} AND hash IN ${corrected})`;
          const whole = FACT_TABLES.session.combined(theirRows, `(SELECT ${FACT_COLUMNS} FROM events WHERE ${where})`);
          /** @param {string} sql @param {string} sign */
          const part = (sql, sign) =>
            `SELECT source, campaign, ref, ${SESSION_SUMS.map((c) => `${sign}toInt64(${c}) AS ${c}_part`).join(', ')} FROM (${sql})`;
          return `SELECT source, campaign, ref, ${SESSION_SUMS.map((c) => `sum(${c}_part) AS ${c}`).join(', ')} FROM (
              ${part(`SELECT * FROM sessions_totals WHERE ${inRange}`, '')}
              UNION ALL ${part(totals(theirRows, NEVER), '-')}
              UNION ALL ${part(totals(`(${whole})`, ended), '')}
            ) GROUP BY source, campaign, ref`;
        },
      },
    };
  };

  return {
    migrate,
    compact,
    withoutBuilds,
    dialect,
    // Tables of rows per day and visitor: an erasure deletes the visitor's days from them.
    factTables: [...Object.values(FACT_TABLES), journeyTable].map((t) => t.name),
    // The counts of values hold no one's events: an erasure leaves them, and the days it changed are read from the events.
    rowTables: [ROW_TABLES.typed.name],
  };
};
