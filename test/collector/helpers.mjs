import { afterAll, describe, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage } from '../../examples/collector/lib/storage/index.js';
import { ulid, createRandom } from '../../examples/collector/lib/journeys.js';
import { ENGINES, startClickHouse } from './clickhouse-server.mjs';

const rnd = createRandom(42);
/** A fresh ULID at `time`. */
export const id = (time = Date.now()) => ulid(time, rnd);

/** A valid wire-format event; `over` replaces or adds fields. */
export const event = (over = {}) => ({
  id: id(typeof over.time === 'number' ? over.time : Date.now()),
  type: 'page_view',
  time: Date.now() - 1000,
  visitor_id: 'v1',
  session_id: 's1',
  stage: 'awareness',
  url: 'https://shop.example/',
  referrer: '',
  title: 'Home',
  props: {},
  ...over,
});

export const batch = (events, over = {}) => ({ v: 1, site: 'test-shop', sent_at: Date.now(), events, ...over });

/** @typedef {import('./clickhouse-server.mjs').ClickHouseServer | { engine: import('./clickhouse-server.mjs').Engine, error: string }} Started */
/** @type {Partial<Record<import('./clickhouse-server.mjs').Engine, Promise<Started>>>} */
const servers = {};
/**
 * One private ClickHouse of `engine` for this test file, stopped by pid after it; `{ engine, error }` when it
 * cannot start (see describeClickHouse: that is a failure, never a skip).
 * @param {import('./clickhouse-server.mjs').Engine} [engine]
 * @returns {Promise<Started>}
 */
export const clickhouse = (engine = 'debian') =>
  (servers[engine] ??= startClickHouse({ engine }).then((s) => {
    if ('error' in s) return { engine, error: s.error };
    afterAll(() => s.destroy(), 30_000);
    return s;
  }));

/** Every ClickHouse version we test (Debian's 18.16, chdb's 26.x), started at once. */
export const clickhouses = () => Promise.all(ENGINES.map((e) => clickhouse(e)));

/**
 * `describe` the suite `body` on one ClickHouse, its version in the title; a server that could not start
 * fails with the reason instead (a missing engine must not pass as a skipped suite).
 * @param {Started} ch @param {string} title @param {(ch: import('./clickhouse-server.mjs').ClickHouseServer) => void} body
 */
export const describeClickHouse = (ch, title, body) =>
  'error' in ch
    ? describe(`${title} (ClickHouse from ${ch.engine})`, () =>
        it('starts ClickHouse', () => {
          throw new Error(`ClickHouse from ${ch.engine} cannot start: ${ch.error}`);
        }))
    : describe(`${title} on ClickHouse ${ch.version}`, () => body(ch));

/**
 * The engines a collector suite runs against, from one set of test cases: DuckDB, and ClickHouse of each
 * version (`error` set for one that could not start).
 * @returns {Promise<{ name: 'duckdb' | 'clickhouse', title: string, url?: string, error?: string }[]>}
 */
export const engines = async () => [
  { name: 'duckdb', title: 'duckdb' },
  ...(await clickhouses()).map((ch) =>
    'error' in ch
      ? { name: /** @type {const} */ ('clickhouse'), title: `clickhouse from ${ch.engine}`, error: ch.error }
      : { name: /** @type {const} */ ('clickhouse'), title: `clickhouse ${ch.version}`, url: ch.url },
  ),
];

/**
 * `describe` the suite `body` on one engine of engines(); one that could not start fails with the reason.
 * @param {Awaited<ReturnType<typeof engines>>[number]} engine @param {string} title @param {() => void} body
 */
export const describeEngine = (engine, title, body) =>
  describe(`${title} on ${engine.title}`, () => {
    if (!engine.error) return body();
    it('starts the engine', () => {
      throw new Error(`${engine.title} cannot start: ${engine.error}`);
    });
  });

let n = 0;
/**
 * A fresh store on `engine`: a temporary DuckDB directory or a ClickHouse database of its own.
 * `env` opens it again (a second collector process, a restart); `done` removes it.
 * @param {{ name: string, url?: string, dedupe?: string }} [engine]
 */
export const tempStorage = async (engine = { name: 'duckdb' }) => {
  const dir = mkdtempSync(join(tmpdir(), 'journey-test-'));
  const db = `t_${process.pid}_${Date.now().toString(36)}_${n++}`;
  const env = (sub = '') =>
    engine.name === 'clickhouse'
      ? {
          JOURNEY_DB: `clickhouse://default@${engine.url.replace(/^http:\/\//, '')}/${db}${sub && `_${sub}`}${engine.dedupe ? `?dedupe=${engine.dedupe}` : ''}`,
        }
      : { JOURNEY_DATA: sub ? join(dir, sub) : dir };
  const storage = await createStorage(env());
  const done = async () => {
    await storage.close().catch(() => {});
    // A ClickHouse database goes with its server at the end of the file (DROP would wait for merges).
    rmSync(dir, { recursive: true, force: true });
  };
  return { storage, dir, env, open: (sub = '') => createStorage(env(sub)), done };
};
