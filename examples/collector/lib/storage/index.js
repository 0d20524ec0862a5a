/**
 * What the collector needs from a database. A second engine (ClickHouse) implements the same
 * object and its own `dialect`; the metric definitions in metrics.js stay shared.
 * @typedef {object} Storage
 * @property {import('../metrics.js').Dialect} dialect
 * @property {(rows: import('../validate.js').StoredRow[]) => Promise<number>} insert  all rows in one transaction; returns how many were new
 * @property {(sql: string, params?: Record<string, string | number>) => Promise<Record<string, any>[]>} query
 * @property {() => Promise<{ site: string, events: number, last: number }[]>} sites
 * @property {() => Promise<number>} count
 * @property {(site: string, id: string) => Promise<number>} erase  a visitor's (or user's) events; returns how many
 * @property {() => Promise<void>} close
 */

/**
 * Pick the engine from the environment: JOURNEY_DB (default `duckdb`), JOURNEY_DATA (default ./data).
 * @param {Record<string, string | undefined>} env
 * @returns {Promise<Storage>}
 */
export const createStorage = async (env) => {
  const engine = env.JOURNEY_DB || 'duckdb';
  const dir = env.JOURNEY_DATA || 'data';
  if (engine === 'duckdb') return (await import('./duckdb.js')).createDuckDbStorage({ dir });
  throw new Error(`JOURNEY_DB=${engine}: unknown engine (available: duckdb)`);
};
