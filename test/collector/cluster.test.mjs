// Scale-out: two collector processes on one ClickHouse give the embedded engine's report.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCollector } from '../../examples/collector/lib/collector.js';
import { createRandom, simulateVisitor } from '../../examples/collector/lib/journeys.js';
import { clickhouses, describeClickHouse, tempStorage } from './helpers.mjs';

const SERVER = fileURLToPath(new URL('../../examples/collector/server.js', import.meta.url));
const SITE = 'cluster-shop';
const DAY = 86_400_000;

/** A collector process; resolves with its base URL once it listens. @param {Record<string, string>} env */
const startProcess = (env) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER], {
      env: { ...process.env, ...env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const fail = () => reject(new Error(`collector process did not start: ${out}`));
    child.once('exit', fail);
    child.stderr.on('data', (d) => (out += d));
    child.stdout.on('data', (d) => {
      out += d;
      const m = /on (http:\/\/\S+)/.exec(out);
      if (m) child.off('exit', fail), resolve({ base: m[1], child });
    });
  });

/** @param {import('node:child_process').ChildProcess} child */
const stopProcess = (child) =>
  new Promise((r) => (child.exitCode !== null ? r(undefined) : (child.once('exit', r), child.kill('SIGTERM'))));

/** POST one batch, retrying on 503 as the tracker does; returns the final status. */
const post = async (base, events) => {
  for (let i = 0; ; i++) {
    const r = await fetch(`${base}/collect`, {
      method: 'POST',
      body: JSON.stringify({ v: 1, site: SITE, sent_at: Date.now(), events }),
    });
    await r.arrayBuffer();
    if (r.status !== 503 || i > 20) return r.status;
    await new Promise((res) => setTimeout(res, 100));
  }
};

/** Journeys ending at least two days ago, so no session is near the report's "ended" threshold. */
const journeys = (seed, visitors) => {
  const rnd = createRandom(seed);
  const now = Date.now() - 2 * DAY;
  const batches = [];
  for (let i = 0; i < visitors; i++)
    batches.push(
      ...simulateVisitor({ base: 'https://shop.example', site: SITE, rnd, start: now - Math.floor(rnd() * 25 * DAY), now })
        .batches,
    );
  return batches;
};

/** The report without its timing, floats to 12 significant digits (summation order may differ in the last bit). */
const normal = (r) =>
  JSON.parse(JSON.stringify({ ...r, query_ms: 0 }), (_, v) =>
    typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v,
  );

/** @param {import('./clickhouse-server.mjs').ClickHouseServer} ch */
const clusterSuite = (ch) => {
  let duck;
  let reference;
  let a;
  let b;
  let db;
  beforeAll(async () => {
    db = await tempStorage({ name: 'clickhouse', url: ch.url });
    duck = await tempStorage();
    reference = createCollector({ storage: duck.storage });
    const refBase = `http://127.0.0.1:${await reference.listen(0)}`;
    // A short flush keeps the test quick; blocks still gather every beacon that arrives meanwhile.
    const env = { ...db.env(), JOURNEY_FLUSH_MS: '5' };
    [a, b] = await Promise.all([startProcess(env), startProcess(env)]);
    reference.base = refBase;
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a && stopProcess(a.child), b && stopProcess(b.child), reference?.close()]);
    await Promise.all([duck?.done(), db?.done()]);
  }, 60_000);

  const report = async (base) => normal(await (await fetch(`${base}/api/report?site=${SITE}`)).json());

  /** Run `fn` over the batches with `n` concurrent senders. */
  const load = async (batches, n, fn) => {
    let next = 0;
    const worker = async () => {
      // A failure stops every sender, so nothing keeps posting after the test has ended.
      while (next < batches.length) {
        const i = next++;
        await fn(batches[i], i).catch((e) => {
          next = batches.length;
          throw e;
        });
      }
    };
    await Promise.all(Array.from({ length: n }, worker));
  };

  it('the same batches posted to both processes count once', async () => {
    const batches = journeys(1, 20);
    await load(batches, 8, async (events) => {
      expect(await Promise.all([post(a.base, events), post(b.base, events)])).toEqual([200, 200]);
      expect(await post(reference.base, events)).toBe(200);
    });
    const expected = await report(reference.base);
    expect(expected.totals.events).toBe(batches.reduce((n, x) => n + x.length, 0));
    expect(await report(a.base)).toEqual(expected);
    expect(await report(b.base)).toEqual(expected);
  }, 120_000);

  it('a load of many visitors split across both, with retries landing on the other, matches the embedded engine', async () => {
    const batches = journeys(2, 200);
    await load(batches, 32, async (events, i) => {
      const [first, other] = i % 2 ? [a, b] : [b, a];
      expect(await post(first.base, events)).toBe(200);
      // One batch in seven is retried on the other process, as when a 2xx is lost on the way back.
      if (i % 7 === 3) expect(await post(other.base, events)).toBe(200);
      expect(await post(reference.base, events)).toBe(200);
    });
    const expected = await report(reference.base);
    expect(expected.totals.visitors).toBe(220);
    expect(expected.revenue.length).toBeGreaterThan(0);
    const [fromA, fromB] = await Promise.all([report(a.base), report(b.base)]);
    expect(fromA).toEqual(expected);
    expect(fromB).toEqual(expected);
    // Once the finished days are rolled up, both read them from the rollups: the same numbers.
    await db.storage.compact(SITE);
    expect(await db.storage.compact(SITE)).toBe(0);
    expect(await report(a.base)).toEqual(expected);
    expect(await report(b.base)).toEqual(expected);
  }, 120_000);
};

for (const server of await clickhouses()) describeClickHouse(server, 'two collector processes, one ClickHouse', clusterSuite);
