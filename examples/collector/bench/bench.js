// Benchmark (not a test): sustained ingest over loopback with beacon-sized batches, then the
// whole report's query time once 1,000,000 events are stored.
//   node examples/collector/bench/bench.js [--events 1000000] [--batch 20] [--concurrency 64]
// On ClickHouse, through N collector processes (batches round-robin, as a load balancer would):
//   node examples/collector/bench/bench.js --db clickhouse [--collectors 2] [--clickhouse http://127.0.0.1:8123]
// Without --clickhouse it starts a private server (Debian's clickhouse-server) under a temporary folder.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createPoster } from '../lib/post.js';
import { createRandom, simulateVisitor } from '../lib/journeys.js';

const { values: a } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '64' },
    port: { type: 'string', default: '18790' },
    db: { type: 'string', default: 'duckdb' },
    collectors: { type: 'string', default: '1' },
    clickhouse: { type: 'string' },
    database: { type: 'string' },
    // ClickHouse: after ingest, copy the stored events this many times over in SQL (new ids, visitors,
    // sessions, orders; same times) to time the report at a size ingest would take too long to reach here.
    amplify: { type: 'string', default: '1' },
  },
});
const target = Number(a.events);
const per = Number(a.batch);
const port = Number(a.port);
const onClickHouse = a.db === 'clickhouse';
const n = onClickHouse ? Math.max(1, Number(a.collectors)) : 1;
const bases = Array.from({ length: n }, (_, i) => `http://127.0.0.1:${port + i}`);
const base = bases[0];
const dir = mkdtempSync(join(tmpdir(), 'journey-bench-'));
/** @type {any} */
let ch;
let chUrl = a.clickhouse;
if (onClickHouse && !chUrl) {
  // A dev tool may borrow the test set-up: it is the one place that knows how to run a private server.
  const { startClickHouse } = await import('../../../test/collector/clickhouse-server.mjs');
  ch = await startClickHouse();
  if ('error' in ch) throw new Error(`cannot start ClickHouse: ${ch.error}`);
  chUrl = ch.url;
}
// Name one (--database) to add to or re-time an earlier run's events on a running server (--events 0).
const database = a.database ?? `bench_${Date.now().toString(36)}`;
const dbEnv = onClickHouse ? { JOURNEY_DB: `${chUrl.replace(/^http/, 'clickhouse')}/${database}` } : { JOURNEY_DATA: dir };
const servers = bases.map((_, i) =>
  // Node flags pass on to the collectors: `node --cpu-prof bench/bench.js` profiles them too.
  spawn(process.execPath, [...process.execArgv, fileURLToPath(new URL('../server.js', import.meta.url))], {
    env: { ...process.env, PORT: String(port + i), ...dbEnv },
    stdio: ['ignore', 'ignore', 'inherit'],
  }),
);
const stop = async () => {
  await Promise.all(servers.map((s) => (s.exitCode === null ? (s.kill('SIGTERM'), new Promise((r) => s.once('exit', r))) : undefined)));
  await ch?.destroy();
};
// Interrupted: take the collectors and the private ClickHouse down too.
for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM']))
  process.once(sig, () => void stop().finally(() => (rmSync(dir, { recursive: true, force: true }), process.exit(130))));

try {
  for (const b of bases)
    for (let i = 0; ; i++) {
      const ok = await fetch(`${b}/healthz`).then((r) => r.ok, () => false);
      if (ok) break;
      if (i > 300) throw new Error('collector did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  // Realistic events from the simulator, re-cut into batches of `per` (a beacon's worth), made as
  // they are sent: ten million events would not fit in memory up front.
  const rnd = createRandom(7);
  const now = Date.now();
  /** @type {any[]} */
  let pool = [];
  let made = 0;
  const nextBatch = () => {
    if (made >= target) return undefined;
    while (pool.length < per) {
      const v = simulateVisitor({ base, site: 'bench', rnd, start: now - Math.floor(rnd() * 28 * 86_400_000), now });
      for (const b of v.batches) pool.push(...b);
    }
    const events = pool.splice(0, Math.min(per, target - made));
    made += events.length;
    return events;
  };
  console.log(`ingest: ${target} events in batches of ${per}, ${a.concurrency} connections, ${n} collector(s) on ${a.db}`);
  const posters = bases.map((b) => createPoster(`${b}/collect`, Math.ceil(Number(a.concurrency) / n)));
  let next = 0;
  let sent = 0;
  let failed = 0;
  /** @type {Record<number, number>} */
  const statuses = {};
  const t0 = performance.now();
  let mark = t0;
  let markSent = 0;
  const worker = async () => {
    for (let events = nextBatch(); events; events = nextBatch()) {
      const i = next++;
      const status = await posters[i % n].post(JSON.stringify({ v: 1, site: 'bench', sent_at: Date.now(), events })).catch(() => 0);
      if (status !== 200) failed++, (statuses[status] = (statuses[status] ?? 0) + 1);
      sent += events.length;
      const t = performance.now();
      if (t - mark > 5000) {
        console.log(`  ${sent} events, ${Math.round(((sent - markSent) / (t - mark)) * 1000)} events/s`);
        mark = t;
        markSent = sent;
      }
    }
  };
  await Promise.all(Array.from({ length: Number(a.concurrency) }, worker));
  const secs = (performance.now() - t0) / 1000;
  console.log(`ingest: ${sent} events in ${secs.toFixed(1)} s = ${Math.round(sent / secs)} events/s sustained (${failed} batches not 200${failed ? `: ${JSON.stringify(statuses)}` : ''})`);
  for (const p of posters) p.close();

  const copies = onClickHouse ? Math.min(9, Number(a.amplify) - 1) : 0;
  if (copies > 0) {
    const t = performance.now();
    const { COLUMNS } = await import('../lib/storage/schema.js');
    // The last two ULID characters become z<k>: stored ids are upper case, so no copy can equal an original.
    const renamed = { id: "toFixedString(concat(substring(id, 1, 24), 'z', toString(k)), 26)", visitor_id: "concat(visitor_id, '~', toString(k))",
      session_id: "concat(session_id, '~', toString(k))", user_id: "concat(user_id, '~', toString(k))", txn: "concat(txn, '~', toString(k))" };
    const cols = COLUMNS.map(([c]) => c);
    const ks = Array.from({ length: copies }, (_, i) => i + 1).join(', ');
    // One statement over the originals only: arrayJoin makes each row `copies` rows.
    const q = `INSERT INTO ${database}.events (${cols.join(', ')}) SELECT ${cols.map((c) => renamed[c] ?? c).join(', ')}
      FROM (SELECT *, arrayJoin([${ks}]) AS k FROM ${database}.events WHERE site = 'bench')`;
    const r = await fetch(`${chUrl}/`, { method: 'POST', body: q });
    if (!r.ok) throw new Error(`amplify: ${await r.text()}`);
    console.log(`amplify: ${copies} copies in SQL in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const sites = await fetch(`${base}/api/sites`).then((r) => r.json()).catch(() => []);
  const count = Array.isArray(sites) ? sites.find((s) => s.site === 'bench')?.events : undefined;
  console.log(`stored: ${count} events`);
  const times = [];
  const runs = onClickHouse ? 3 : 7;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = await fetch(`${base}/api/report?site=bench`);
    const body = await r.json();
    if (!r.ok) throw new Error(`report: ${body.error}`);
    times.push({ wall: performance.now() - t, query: body.query_ms });
  }
  times.sort((x, y) => x.wall - y.wall);
  const mid = times[runs >> 1];
  console.log(`report at ${count} events: wall ${times.map((t) => Math.round(t.wall)).join(', ')} ms (median ${Math.round(mid.wall)} ms; queries ${mid.query} ms)`);
  if (onClickHouse) {
    // The two ways to see each id once before merges, on the same data.
    const { createClickHouseStorage } = await import('../lib/storage/clickhouse.js');
    const { buildReport } = await import('../lib/metrics.js');
    const { parseRange } = await import('../lib/range.js');
    const range = /** @type {{ from: number, to: number }} */ (parseRange(null, null));
    for (const dedupe of /** @type {const} */ (['query', 'final'])) {
      const storage = await createClickHouseStorage({ url: dbEnv.JOURNEY_DB, dedupe, queryTimeoutMs: 300_000 });
      const ms = [];
      for (let i = 0; i < 3; i++) ms.push((await buildReport(storage, { site: 'bench', ...range })).query_ms);
      await storage.close();
      ms.sort((x, y) => x - y);
      console.log(`  dedupe=${dedupe}: ${ms.join(', ')} ms (median ${ms[1]} ms)`);
    }
  }
} finally {
  await stop();
  rmSync(dir, { recursive: true, force: true });
}
