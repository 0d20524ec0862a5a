// Benchmark (not a test): the collector's memory under many slow, large request bodies. It starts a
// collector (this one, or another copy's server.js with --server, to compare), opens `--connections`
// connections that each announce a `--size` body and send it in `--chunk` pieces every `--interval`
// ms, and prints the collector's RSS before, at its peak, and after they closed, with the answers.
//   node examples/collector/bench/hold.js [--connections 2000] [--size 1000000] [--rounds 1] [--server path/to/server.js]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: a } = parseArgs({
  options: {
    connections: { type: 'string', default: '2000' },
    size: { type: 'string', default: '1000000' },
    chunk: { type: 'string', default: '65536' },
    interval: { type: 'string', default: '200' },
    settle: { type: 'string', default: '10000' },
    // More than one round on the same collector: memory kept between rounds is reused, not leaked.
    rounds: { type: 'string', default: '1' },
    port: { type: 'string', default: '18795' },
    server: { type: 'string', default: fileURLToPath(new URL('../server.js', import.meta.url)) },
  },
});
const n = Number(a.connections);
const size = Number(a.size);
const chunk = Number(a.chunk);
const interval = Number(a.interval);
const base = `http://127.0.0.1:${a.port}`;
const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(join(tmpdir(), 'journey-hold-'));
const server = spawn(process.execPath, [a.server], {
  env: { ...process.env, PORT: a.port, JOURNEY_DATA: dir },
  stdio: ['ignore', 'ignore', 'inherit'],
});

/** The collector's resident memory in MiB (Linux /proc). */
const rss = () => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};
for (let i = 0; ; i++) {
  if (
    await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    )
  )
    break;
  if (i > 300) throw new Error('collector did not start');
  await sleep(100);
}
await sleep(1000);
let peak = rss();
const sampler = setInterval(() => (peak = Math.max(peak, rss())), 50);

// One valid batch, padded with spaces to `size` (JSON allows them): the body is stored when read whole.
const head = Buffer.from(
  JSON.stringify({
    v: 1,
    site: 'hold',
    sent_at: Date.now(),
    events: [
      {
        id: '01JD3Q8Z7X9K2M4N6P8R0T2V4W',
        type: 'page_view',
        time: Date.now(),
        visitor_id: 'v',
        session_id: 's',
        stage: 'awareness',
        url: 'https://shop.example/',
        referrer: '',
        title: '',
        props: {},
      },
    ],
  }),
);
const pad = Buffer.alloc(chunk, ' ');
/** One slow client; counts its status in `answers`, or the error code when the connection broke. @param {Record<string, number>} answers */
const hold = (answers) =>
  new Promise((resolve) => {
    let sent = 0;
    let done = false;
    /** @type {NodeJS.Timeout | undefined} */
    let timer;
    const finish = (/** @type {string} */ what) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      answers[what] = (answers[what] ?? 0) + 1;
      resolve(undefined);
    };
    const req = request(
      `${base}/collect`,
      { method: 'POST', agent: false, headers: { 'content-type': 'text/plain', 'content-length': String(size) } },
      (res) => {
        res.resume();
        res.on('end', () => finish(String(res.statusCode)));
        // An early answer (503, 413): stop sending.
        req.destroy();
      },
    );
    req.on('error', (e) => finish(/** @type {NodeJS.ErrnoException} */ (e).code ?? 'error'));
    const next = () => {
      if (done) return;
      const piece = sent === 0 ? head : pad.subarray(0, Math.min(chunk, size - sent));
      sent += piece.length;
      if (sent >= size) req.end(piece);
      else req.write(piece), (timer = setTimeout(next, interval));
    };
    next();
  });
const mib = (/** @type {number} */ x) => `${x.toFixed(0)} MiB`;
console.log(
  `${n} connections × ${size.toLocaleString('en')} bytes in ${chunk.toLocaleString('en')}-byte pieces every ${interval} ms (${a.server})`,
);
for (let round = 1; round <= Number(a.rounds); round++) {
  /** @type {Record<string, number>} */
  const answers = {};
  const start = rss();
  peak = start;
  const t0 = Date.now();
  await Promise.all(Array.from({ length: n }, () => hold(answers)));
  const took = Date.now() - t0;
  await sleep(Number(a.settle));
  console.log(
    `round ${round}: RSS before ${mib(start)}, peak ${mib(peak)}, ${Number(a.settle) / 1000} s after the last closed ${mib(rss())}; sending took ${(took / 1000).toFixed(1)} s`,
  );
  console.log(
    `  answers: ${Object.entries(answers)
      .map(([k, v]) => `${k} ×${v}`)
      .join(', ')}`,
  );
}
clearInterval(sampler);
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
rmSync(dir, { recursive: true, force: true });
