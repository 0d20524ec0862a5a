/**
 * What the collector needs from a database. A second engine (ClickHouse) implements the same
 * object and its own `dialect`; the metric definitions in metrics.js stay shared.
 * @typedef {object} Storage
 * @property {import('../metrics.js').Dialect} dialect
 * @property {(rows: import('../validate.js').StoredRow[] | import('./rowbinary.js').Encoded) => Promise<number>} insert  all rows
 *   in one write (or the bytes of a `block`); returns how many were new (DuckDB) or written (ClickHouse, where repeats are
 *   dropped when read)
 * @property {() => import('./rowbinary.js').Block} [block]  where the writer encodes rows as they arrive, for `insert`
 * @property {(sql: string, params?: Record<string, string | number>) => Promise<any[]>} query rows as the engine gives them
 * @property {() => Promise<{ site: string, events: number, last: number }[]>} sites
 * @property {() => Promise<number>} count
 * @property {(site: string, id: string) => Promise<number>} erase  a visitor's (or user's) events; returns how many
 * @property {(counts: { site: string, day: number, n: number }[]) => Promise<void>} [addBots]  add to the bot events
 *   dropped per site and UTC day (the table `bots`: site, day, n, which the report reads)
 * @property {() => Promise<void>} close
 * @property {() => Promise<boolean>} [ping]  reachable now (a remote engine); /healthz asks it
 * @property {{ delayMs?: number, maxRows?: number }} [writer]  how this engine likes its writes grouped
 * @property {number} [parallel]  how many report queries to run at once (default 1)
 * @property {(q: { site: string, from: number, to: number, wholeDays: boolean, now: number, sessions?: string, params?: Record<string, string | number> }) => Promise<import('../metrics.js').Dialect>} [prepare]
 *   the dialect for one report (an engine with rollups: which days they answer, as of now), reading only the events
 *   of `sessions` (filters.js, filterSessions: a SELECT of session_id; `params` its values); `dialect` itself if it has none of
 *   its own. The report calls its `release` when done.
 */

/**
 * Pick the engine from the environment: JOURNEY_DB (default `duckdb`; `clickhouse://user:pass@host:8123/db`
 * for ClickHouse), JOURNEY_DATA (default ./data, DuckDB only).
 * @param {Record<string, string | undefined>} env
 * @returns {Promise<Storage>}
 */
export const createStorage = async (env) => {
  const engine = env.JOURNEY_DB || 'duckdb';
  const dir = env.JOURNEY_DATA || 'data';
  if (engine === 'duckdb') return (await import('./duckdb.js')).createDuckDbStorage({ dir });
  if (/^(clickhouses?|https?):\/\//.test(engine))
    return (await import('./clickhouse.js')).createClickHouseStorage({ url: engine });
  throw new Error(
    `JOURNEY_DB=${engine.replace(/\/\/[^@/]*@/, '//…@')}: unknown engine (available: duckdb, clickhouse://host:8123/db)`,
  );
};
