// Benchmark (not a test): sustained ingest over loopback with beacon-sized batches, then the
// whole report's query time once 1,000,000 events are stored (on ClickHouse: once the finished days'
// rollups are built, then against the events-only ways of reading the same report). The request
// bodies are made up front (about 450 bytes an event in memory); it prints events/s and the CPU
// each side spent per event: the collectors', the database server's (ClickHouse) and its own.
//   node examples/collector/bench/bench.js [--events 1000000] [--batch 20] [--concurrency N] [--no-report]
// On ClickHouse, through N collector processes (batches round-robin, as a load balancer would):
//   node examples/collector/bench/bench.js --db clickhouse [--collectors 2] [--clickhouse http://127.0.0.1:8123 --clickhouse-pid N]
// Without --clickhouse it starts a private server (Debian's clickhouse-server) under a temporary folder.
// Each beacon waits for its group's insert (up to 200 ms on ClickHouse, then the insert), so events/s is capped
// near concurrency × batch / that wait: the default keeps 2,000 beacons in flight a collector on ClickHouse
// (1,000 on DuckDB, whose groups wait 2 ms), enough to measure the collector rather than the wait.
// --server runs another copy's server.js (an older checkout), to compare on the same load.
// To re-time the report on the same events: --data <folder> (DuckDB) or --clickhouse and --database (ClickHouse),
// then the same again with --events 0.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRawPoster } from './poster.js';
import { createRandom, simulateVisitor } from '../lib/journeys.js';

const { values: a } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '20' },
    // Beacons in flight, all collectors together (default: 2,000 a collector on ClickHouse, 1,000 on DuckDB).
    concurrency: { type: 'string' },
    // First collector's port (the next ones follow); by default each takes one the system says is free.
    port: { type: 'string' },
    db: { type: 'string', default: 'duckdb' },
    collectors: { type: 'string', default: '1' },
    clickhouse: { type: 'string' },
    database: { type: 'string' },
    // ClickHouse: after ingest, copy the stored events this many times over in SQL (new ids, visitors,
    // sessions, orders; same times) to time the report at a size ingest would take too long to reach here.
    amplify: { type: 'string', default: '1' },
    // DuckDB: keep the data in this folder (kept after the run), to re-time it later with --events 0.
    data: { type: 'string' },
    // The server's pid when --clickhouse names one already running: its CPU per event is read from /proc.
    'clickhouse-pid': { type: 'string' },
    server: { type: 'string', default: fileURLToPath(new URL('../server.js', import.meta.url)) },
    // Ingest only: no report timing afterwards.
    'no-report': { type: 'boolean', default: false },
    // The report's filters to time as well, as a query string (collector README, "Visitors, bots and filters").
    filter: { type: 'string', default: 'device=mobile&source=search' },
  },
});
const target = Number(a.events);
// Each body is made once, before timing, with a 13-digit placeholder where sent_at goes.
const SENT_AT_SLOT = 1_000_000_000_000;
const SENT_AT_OFFSET = '{"v":1,"sent_at":'.length;
const EMPTY = { body: Buffer.alloc(0), events: 0 };
/**
 * CPU time in ms of a process, all its threads, and of its main thread (Linux /proc; NaN elsewhere).
 * @param {number | undefined} pid @returns {{ all: number, main: number }}
 */
const cpuMs = (pid) => {
  /** @param {string} path utime and stime are fields 14 and 15, counted after the parenthesised name */
  const read = (path) => {
    try {
      const f = readFileSync(path, 'utf8').split(') ')[1].split(' ');
      return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // clock ticks of 1/100 s on Linux
    } catch {
      return NaN;
    }
  };
  return { all: read(`/proc/${pid}/stat`), main: read(`/proc/${pid}/task/${pid}/stat`) };
};
const per = Number(a.batch);
const onClickHouse = a.db === 'clickhouse';
const n = onClickHouse ? Math.max(1, Number(a.collectors)) : 1;
const concurrency = Number(a.concurrency ?? (onClickHouse ? 2000 * n : 1000));
// Each connection is one beacon in flight: the collectors' cap (1,024 by default) must not answer them 503.
const maxConnections = String(Math.max(1024, Math.ceil(concurrency / n) + 64));
const dir = a.data ?? mkdtempSync(join(tmpdir(), 'journey-bench-'));
/** @type {any} */
let ch;
/** @type {string} */
let chUrl = a.clickhouse ?? '';
if (onClickHouse && !chUrl) {
  // A dev tool may borrow the test set-up: it is the one place that knows how to run a private server.
  const { startClickHouse } = await import('../../../test/collector/clickhouse-server.mjs');
  ch = await startClickHouse();
  if ('error' in ch) throw new Error(`cannot start ClickHouse: ${ch.error}`);
  chUrl = ch.url;
}
// Name one (--database) to add to or re-time an earlier run's events on a running server (--events 0).
const database = a.database ?? `bench_${Date.now().toString(36)}`;
// The ClickHouse URL is read only when onClickHouse.
const dbUrl = `${chUrl.replace(/^http/, 'clickhouse')}/${database}`;
const dbEnv = onClickHouse ? { JOURNEY_DB: dbUrl } : { JOURNEY_DATA: dir };
const servers = Array.from({ length: n }, (_, i) =>
  // Node flags pass on to the collectors: `node --cpu-prof bench/bench.js` profiles them too.
  spawn(process.execPath, [...process.execArgv, a.server], {
    env: {
      ...process.env,
      PORT: a.port ? String(Number(a.port) + i) : '0',
      JOURNEY_MAX_CONNECTIONS: maxConnections,
      ...dbEnv,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  }),
);
const stop = async () => {
  await Promise.all(
    servers.map((s) => (s.exitCode === null ? (s.kill('SIGTERM'), new Promise((r) => s.once('exit', r))) : undefined)),
  );
  await ch?.destroy();
};
// Interrupted: take the collectors and the private ClickHouse down too.
for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM']))
  process.once(
    sig,
    () => void stop().finally(() => (a.data || rmSync(dir, { recursive: true, force: true }), process.exit(130))),
  );

/** Each collector's base URL, from the line it prints once it listens. */
const bases = await Promise.all(
  servers.map(
    (s) =>
      /** @type {Promise<string>} */ (
        new Promise((resolve, reject) => {
          let out = '';
          s.once('exit', () => reject(new Error(`collector did not start: ${out}`)));
          s.stdout?.on('data', (d) => {
            out += d;
            const m = /on (http:\/\/\S+)/.exec(out);
            if (m) s.stdout?.removeAllListeners('data').resume(), resolve(m[1]);
          });
        })
      ),
  ),
).catch(async (e) => {
  await stop();
  throw e;
});
const base = bases[0];
try {
  for (const b of bases)
    for (let i = 0; ; i++) {
      const ok = await fetch(`${b}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (i > 300) throw new Error('collector did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  // Realistic events from the simulator, re-cut into batches of `per` (a beacon's worth). Every body is
  // made before the clock starts, so the timing is the collector's and HTTP's, not the simulator's.
  const rnd = createRandom(7);
  const now = Date.now();
  const tg = performance.now();
  /** @type {any[]} */
  let pool = [];
  let made = 0;
  /** @type {{ body: Buffer, events: number }[]} */
  const bodies = [];
  while (made < target) {
    while (pool.length < per) {
      const v = simulateVisitor({ base, site: 'bench', rnd, start: now - Math.floor(rnd() * 28 * 86_400_000), now });
      for (const b of v.batches) pool.push(...b);
    }
    const events = pool.splice(0, Math.min(per, target - made));
    made += events.length;
    bodies.push({
      body: Buffer.from(JSON.stringify({ v: 1, sent_at: SENT_AT_SLOT, site: 'bench', events })),
      events: events.length,
    });
  }
  pool = [];
  console.log(`prepared ${bodies.length} bodies in ${((performance.now() - tg) / 1000).toFixed(1)} s`);
  console.log(`ingest: ${target} events in batches of ${per}, ${concurrency} connections, ${n} collector(s) on ${a.db}`);
  const posters = bases.map((b) => createRawPoster(`${b}/collect`, Math.ceil(concurrency / n)));
  let next = 0;
  let sent = 0;
  let failed = 0;
  let resent = 0;
  /** @type {Record<number, number>} */
  const statuses = {};
  const serverCpu0 = servers.map((s) => cpuMs(s.pid));
  const dbPid = ch?.pid ?? (a['clickhouse-pid'] ? Number(a['clickhouse-pid']) : undefined);
  const dbCpu0 = onClickHouse ? cpuMs(dbPid).all : NaN;
  const clientCpu0 = process.cpuUsage();
  const t0 = performance.now();
  let mark = t0;
  let markSent = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const i = next++;
      const { body, events } = bodies[i];
      // sent_at is the time of sending, as a tracker's is: written into its fixed-width slot in place.
      body.write(String(Date.now()), SENT_AT_OFFSET, 'latin1');
      // A keep-alive connection the collector closed as the request went out (idle past its timeout on a
      // stalled machine) got no answer: sent again, as the tracker would.
      let status = 0;
      for (let t = 0; t < 3 && status === 0; t++) {
        if (t) resent++;
        status = await posters[i % n].post(body).catch(() => 0);
      }
      bodies[i] = EMPTY;
      if (status !== 200) failed++, (statuses[status] = (statuses[status] ?? 0) + 1);
      sent += events;
      const t = performance.now();
      if (t - mark > 5000) {
        console.log(`  ${sent} events, ${Math.round(((sent - markSent) / (t - mark)) * 1000)} events/s`);
        mark = t;
        markSent = sent;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const secs = (performance.now() - t0) / 1000;
  const client = process.cpuUsage(clientCpu0);
  const dbCpu = onClickHouse ? cpuMs(dbPid).all - dbCpu0 : NaN;
  const serverCpu = servers
    .map((s) => cpuMs(s.pid))
    .reduce((sum, c, i) => ({ all: sum.all + c.all - serverCpu0[i].all, main: sum.main + c.main - serverCpu0[i].main }), {
      all: 0,
      main: 0,
    });
  console.log(
    `ingest: ${sent} events in ${secs.toFixed(1)} s = ${Math.round(sent / secs)} events/s sustained (${failed} batches not 200${failed ? `: ${JSON.stringify(statuses)}` : ''}${resent ? `; ${resent} sent again after a closed connection` : ''})`,
  );
  // CPU per event does not depend on the client sharing the cores, unlike events/s.
  const perEvent = (/** @type {number} */ ms) => (Number.isNaN(ms) ? '?' : ((ms * 1000) / Math.max(1, sent)).toFixed(1));
  console.log(
    `cpu per event: collector${n > 1 ? 's' : ''} ${perEvent(serverCpu.all)} µs (main thread ${perEvent(serverCpu.main)} µs), ` +
      `${onClickHouse ? `ClickHouse server ${perEvent(dbCpu)} µs, ` : ''}client ${perEvent((client.user + client.system) / 1000)} µs; load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
  );
  for (const p of posters) p.close();
  if (!a['no-report']) await timeReport();
} finally {
  await stop();
  if (!a.data) rmSync(dir, { recursive: true, force: true });
}

/** The whole report's query time on what was stored (and its copies). */
async function timeReport() {
  const copies = onClickHouse ? Math.min(9, Number(a.amplify) - 1) : 0;
  if (copies > 0) {
    const t = performance.now();
    const { COLUMNS } = await import('../lib/storage/schema.js');
    // The last two ULID characters become z<k>: stored ids are upper case, so no copy can equal an original.
    /** @type {Record<string, string>} */
    const renamed = {
      id: "toFixedString(concat(substring(id, 1, 24), 'z', toString(k)), 26)",
      visitor_id: "concat(visitor_id, '~', toString(k))",
      session_id: "concat(session_id, '~', toString(k))",
      user_id: "concat(user_id, '~', toString(k))",
      txn: "concat(txn, '~', toString(k))",
    };
    const cols = COLUMNS.map(([c]) => c);
    const ks = Array.from({ length: copies }, (_, i) => i + 1).join(', ');
    // One statement over the originals only: arrayJoin makes each row `copies` rows.
    const q = `INSERT INTO ${database}.events (${cols.join(', ')}) SELECT ${cols.map((c) => renamed[c] ?? c).join(', ')}
      FROM (SELECT *, arrayJoin([${ks}]) AS k FROM ${database}.events WHERE site = 'bench')`;
    const r = await fetch(`${chUrl}/`, { method: 'POST', body: q });
    if (!r.ok) throw new Error(`amplify: ${await r.text()}`);
    console.log(`amplify: ${copies} copies in SQL in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const sites = await fetch(`${base}/api/sites`)
    .then((r) => r.json())
    .catch(() => []);
  const count = Array.isArray(sites) ? sites.find((s) => s.site === 'bench')?.events : undefined;
  console.log(`stored: ${count} events`);
  // Loaded only on ClickHouse: a DuckDB run needs no ClickHouse client.
  const { createClickHouseStorage } = onClickHouse ? await import('../lib/storage/clickhouse.js') : {};
  if (createClickHouseStorage) {
    // The daily rollups of the finished days and of today up to its last full hour, as the collector builds them in
    // the background after a report.
    const storage = await createClickHouseStorage({ url: dbUrl, queryTimeoutMs: 600_000 });
    const t = performance.now();
    const days = await storage.compact('bench');
    console.log(
      `rollups: ${days} days built in ${((performance.now() - t) / 1000).toFixed(1)} s (the finished ones, and today up to its last full hour)`,
    );
    await storage.close();
  }
  const runs = 7;
  for (const filter of ['', ...(a.filter ? [a.filter] : [])]) {
    const times = [];
    let visitors = 0;
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const r = await fetch(`${base}/api/report?site=bench${filter && `&${filter}`}`);
      const body = /** @type {any} */ (await r.json());
      if (!r.ok) throw new Error(`report: ${body.error}`);
      times.push({ wall: performance.now() - t, query: body.query_ms });
      visitors = body.totals.visitors;
    }
    times.sort((x, y) => x.wall - y.wall);
    const mid = times[runs >> 1];
    console.log(
      `report at ${count} events${filter && ` filtered on ${filter}`} (${visitors} visitors): wall ${times.map((t) => Math.round(t.wall)).join(', ')} ms (median ${Math.round(mid.wall)} ms; queries ${mid.query} ms)`,
    );
  }
  if (createClickHouseStorage) {
    // The same report read only from the events, with each way to see each id once before merges, on the
    // same data and at the same moment: the numbers must be the rollups' exactly.
    const { buildReport } = await import('../lib/metrics.js');
    const { parseRange } = await import('../lib/range.js');
    const now = Date.now();
    const range = /** @type {{ from: number, to: number }} */ (parseRange(null, null, now));
    /** @type {Record<string, string>} */
    const seen = {};
    for (const dedupe of /** @type {const} */ (['rollup', 'query', 'final'])) {
      const storage = await createClickHouseStorage({ url: dbUrl, dedupe, queryTimeoutMs: 300_000 });
      const ms = [];
      for (let i = 0; i < 3; i++) {
        const r = await buildReport(storage, { site: 'bench', ...range, now });
        ms.push(r.query_ms);
        seen[dedupe] = JSON.stringify({ ...r, query_ms: 0 });
      }
      await storage.close();
      ms.sort((x, y) => x - y);
      const same =
        dedupe === 'rollup'
          ? ''
          : seen[dedupe] === seen.rollup
            ? ', same numbers as the rollups'
            : ', NUMBERS DIFFER from the rollups';
      console.log(`  dedupe=${dedupe}: ${ms.join(', ')} ms (median ${ms[1]} ms${same})`);
    }
  }
}
