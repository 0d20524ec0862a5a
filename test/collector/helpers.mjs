import { afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage } from '../../examples/collector/lib/storage/index.js';
import { ulid, createRandom } from '../../examples/collector/lib/journeys.js';
import { startClickHouse } from './clickhouse-server.mjs';

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

/** @type {Promise<import('./clickhouse-server.mjs').ClickHouseServer | undefined> | undefined} */
let server;
/**
 * One private ClickHouse for this test file, stopped by pid after it. Locally, when it cannot start,
 * its suites are skipped with the reason; under CI they must run, so that is a failure.
 */
export const clickhouse = () =>
  (server ??= startClickHouse().then((s) => {
    if ('error' in s) {
      if (process.env.CI === 'true') throw new Error(`ClickHouse suite cannot run under CI: ${s.error}`);
      console.warn(`ClickHouse suite skipped: ${s.error}`);
      return undefined;
    }
    afterAll(() => s.destroy(), 30_000);
    return s;
  }));

/**
 * The engines every collector suite runs against, from one set of test cases.
 * @returns {Promise<{ name: 'duckdb' | 'clickhouse', url?: string, skip: boolean }[]>}
 */
export const engines = async () => {
  const ch = await clickhouse();
  return [
    { name: 'duckdb', skip: false },
    { name: 'clickhouse', url: ch?.url, skip: !ch },
  ];
};

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
