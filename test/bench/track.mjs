// track() micro-benchmark of script-tag builds, interleaved: median µs per call at 1,000 and 10,000 calls, and
// long tasks after the loop. Usage: `node test/bench/track.mjs [build.min.js …]` (default: dist/journey.min.js);
// RUNS=7 by default. Not a test: it measures and prints.
// Two clocks: "wall" is performance.now() around the loop; "cpu" is the renderer main thread's own CPU time for
// the task that runs the loop (Chromium's trace, `tdur`), which other processes on a busy machine cannot
// inflate. On an idle machine the two agree; under load, read cpu.
// "after": the main thread's script CPU per event in the seconds after the loop: the work a tracker leaves for
// later, such as processing deferred calls, storage writes and sends. A tracker that does everything inside
// track() shows only its writes and sends there.
import http from 'node:http';
import fs from 'node:fs';
import { chromium } from 'playwright-core';
import { ARGS, EXECUTABLE } from '../browser/chromium.mjs';
import { burstCall } from './scenarios.mjs';
const builds = process.argv.length > 2 ? process.argv.slice(2) : ['dist/journey.min.js'];
const js = builds.map((f) => fs.readFileSync(f));
const srv = http.createServer((q, r) => {
  if (q.method == 'POST') {
    q.resume();
    q.on('end', () => r.end('ok'));
    return;
  }
  const m = q.url.match(/^\/b(\d+)\.js/);
  if (m) {
    r.setHeader('content-type', 'text/javascript');
    return r.end(js[+m[1]]);
  }
  const mb = q.url.match(/b=(\d+)/);
  if (!mb) return r.end();
  const b = mb[1];
  r.setHeader('content-type', 'text/html');
  r.end(
    `<!doctype html><title>Shoes for jane - shop</title><script src="/b${b}.js" data-endpoint="/collect" data-site="bench" data-plugins="cart,checkout,referral,dataLayer"></script><body>hi`,
  );
});
await new Promise((ok) => srv.listen(0, '127.0.0.1', ok));
const port = srv.address().port;
const browser = await chromium.launch({ executablePath: EXECUTABLE, args: ARGS });
const RUNS = +(process.env.RUNS || 7);
const res = builds.map(() => ({
  1000: [],
  10000: [],
  cpu1000: [],
  cpu10000: [],
  after1000: [],
  after10000: [],
  lt1000: [],
  lt10000: [],
}));
/**
 * CPU ms of the script work on the loop's thread after the loop's call ended (see "after" above): the outermost
 * timeline events there (timers, callbacks, event dispatch, garbage collection), so the browser's own message
 * handling (IPC, the tracing itself) is not counted.
 */
const afterCpuMs = (events, loop) => {
  const after = events
    .filter(
      (e) =>
        e.ph === 'X' &&
        e.tdur != null &&
        e.cat.includes('devtools.timeline') &&
        e.pid === loop.pid &&
        e.tid === loop.tid &&
        e.ts >= loop.ts + loop.dur,
    )
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  let n = 0,
    end = 0;
  for (const e of after) if (e.ts >= end) (n += e.tdur), (end = e.ts + e.dur);
  return n / 1e3;
};
for (let r = 0; r < RUNS; r++)
  for (const n of [1000, 10000])
    for (let b = 0; b < builds.length; b++) {
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      await page.goto(`http://127.0.0.1:${port}/p${r}?b=${b}&utm_source=x`);
      await page.waitForFunction(() => window.journey && typeof window.journey.track == 'function' && !window.journey.q);
      await page.waitForTimeout(300);
      await browser.startTracing(page, { categories: ['devtools.timeline'] });
      const x = await page.evaluate(async (n) => {
        const lt = [];
        let end = 0,
          t0 = 0;
        try {
          new PerformanceObserver((l) => l.getEntries().forEach((e) => lt.push([e.startTime, e.duration]))).observe({
            type: 'longtask',
          });
        } catch {}
        // In a task of its own (a timer), so the trace shows the loop as one FunctionCall.
        await new Promise((ok) =>
          setTimeout(() => {
            t0 = performance.now();
            for (let i = 0; i < n; i++)
              journey.track('product_viewed', { i, item_id: 'SKU-' + i, price: 12.5, name: 'Linen shirt' });
            end = performance.now();
            ok();
          }),
        );
        await new Promise((r) => setTimeout(r, n > 5000 ? 4000 : 2000));
        return {
          us: ((end - t0) * 1000) / n,
          ms: end - t0,
          lt: Math.max(0, ...lt.filter((e) => e[0] >= end - 1).map((e) => e[1])),
        };
      }, n);
      // The loop's call in the trace (the peers benchmark reads it the same way).
      const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
      const loop = burstCall(events, x.ms);
      res[b][n].push(x.us);
      res[b]['lt' + n].push(x.lt);
      if (loop) res[b]['cpu' + n].push(loop.tdur / n), res[b]['after' + n].push((afterCpuMs(events, loop) * 1000) / n);
      await ctx.close();
    }
const med = (a) => {
  a = a.slice().sort((x, y) => x - y);
  return a.length ? +a[a.length >> 1].toFixed(2) : null;
};
builds.forEach((f, b) =>
  console.log(
    f.split('/').slice(-3).join('/'),
    JSON.stringify({
      cpu_us1000: med(res[b].cpu1000),
      cpu_us10000: med(res[b].cpu10000),
      after_cpu_us1000: med(res[b].after1000),
      after_cpu_us10000: med(res[b].after10000),
      wall_us1000: med(res[b][1000]),
      wall_us10000: med(res[b][10000]),
      longtask_after_ms_max1000: Math.max(...res[b].lt1000),
      longtask_after_ms_max10000: Math.max(...res[b].lt10000),
      lt10000_median: med(res[b].lt10000),
    }),
  ),
);
await browser.close();
srv.close();
