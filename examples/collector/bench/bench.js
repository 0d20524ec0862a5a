// Benchmark (not a test): sustained ingest over loopback with beacon-sized batches, then the
// whole report's query time once 1,000,000 events are stored.
//   node examples/collector/bench/bench.js [--events 1000000] [--batch 20] [--concurrency 64]
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
  },
});
const target = Number(a.events);
const per = Number(a.batch);
const port = Number(a.port);
const base = `http://127.0.0.1:${port}`;
const dir = mkdtempSync(join(tmpdir(), 'journey-bench-'));
const server = spawn(process.execPath, [fileURLToPath(new URL('../server.js', import.meta.url))], {
  env: { ...process.env, PORT: String(port), JOURNEY_DATA: dir },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const stop = () => {
  server.kill('SIGTERM');
  return new Promise((r) => server.once('exit', r));
};

try {
  for (let i = 0; ; i++) {
    const ok = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (i > 100) throw new Error('collector did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  // Realistic events from the simulator, re-cut into batches of `per` (a beacon's worth).
  const rnd = createRandom(7);
  const now = Date.now();
  /** @type {any[]} */
  let pool = [];
  const bodies = [];
  let made = 0;
  while (made < target) {
    const v = simulateVisitor({ base, site: 'bench', rnd, start: now - Math.floor(rnd() * 28 * 86_400_000), now });
    for (const b of v.batches) pool.push(...b);
    while (pool.length >= per && made < target) {
      const events = pool.splice(0, per);
      made += events.length;
      bodies.push(events);
    }
  }
  const bytes = JSON.stringify({ v: 1, site: 'bench', sent_at: now, events: bodies[0] }).length;
  console.log(`ingest: ${made} events in ${bodies.length} batches of ${per} (~${bytes} bytes), ${a.concurrency} connections`);
  const poster = createPoster(`${base}/collect`, Number(a.concurrency));
  let next = 0;
  let sent = 0;
  let failed = 0;
  const t0 = performance.now();
  let mark = t0;
  let markSent = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const events = bodies[next++];
      const status = await poster.post(JSON.stringify({ v: 1, site: 'bench', sent_at: Date.now(), events }));
      if (status !== 200) failed++;
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
  console.log(`ingest: ${sent} events in ${secs.toFixed(1)} s = ${Math.round(sent / secs)} events/s sustained (${failed} batches not 200)`);
  poster.close();

  const count = (await (await fetch(`${base}/api/sites`)).json()).find((s) => s.site === 'bench')?.events;
  console.log(`stored: ${count} events`);
  const times = [];
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    const r = await fetch(`${base}/api/report?site=bench`);
    const body = await r.json();
    times.push({ wall: performance.now() - t, query: body.query_ms });
  }
  times.sort((x, y) => x.wall - y.wall);
  console.log(`report at ${count} events: wall ${times.map((t) => Math.round(t.wall)).join(', ')} ms (median ${Math.round(times[3].wall)} ms; queries ${times[3].query} ms)`);
} finally {
  await stop();
  rmSync(dir, { recursive: true, force: true });
}
