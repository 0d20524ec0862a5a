// `npm run bench`: journey-tracker against the trackers shops use, side by side in one headless
// Chromium, against a capture server on 127.0.0.1. Writes results.md and results.json next to this
// file and prints the tables. Not part of `npm test`; it asserts nothing. Performance runs go one
// tracker at a time (they measure main-thread time); the delivery scenarios, which mostly wait,
// run side by side afterwards (delivery.mjs).
//
// Env: BENCH_RUNS (performance runs per tracker, default 3), BENCH_ONLY=journey,posthog (a subset),
// BENCH_NO_BUILD=1 (use dist/ as it is), BENCH_NO_INSTALL=1 (peers already installed),
// BENCH_QUICK=1 (skip the delivery scenarios), BENCH_WORKERS=1 (trackers measured one at a time; default 2), BENCH_REPORT_ONLY=1 (re-render results.md from results.json).
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTrackers } from './peers.mjs';
import { launch, perfRun, stageRun } from './scenarios.mjs';
import { markdown, median, summarize } from './report.mjs';
import { createLaps, formatLaps } from './laps.mjs';
import { build, createByteCounter, installPeers, prepare } from './setup.mjs';
import { createEnv } from './env.mjs';
import { runDelivery } from './delivery.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '..', '..');
const PEERS = join(HERE, 'peers');
const BUILD = join(PEERS, 'build');
const DIST = join(ROOT, 'dist');
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS) || 3);
const ONLY = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : null;
// A full run takes a few minutes; this stops a stuck one for good.
const LIMIT_MS = 25 * 60 * 1000;
const PERF_WORKERS = Math.max(1, Number(process.env.BENCH_WORKERS) || 2);

const log = (...a) => console.log('[bench]', ...a);

/** 50 user rules that do not match the bench page: the matcher tries all of them. */
const RULES = Array.from({ length: 50 }, (_, i) =>
  i % 5 == 4
    ? { match: `re:^/promo-${i}(/|$)`, event: 'view_promotion' }
    : { match: `/bench-${i}/*/item-*`, stage: 'consideration' },
);

/** BENCH_REPORT_ONLY=1: render results.md again from results.json (after a change to the report). */
const reportOnly = () => {
  const { meta, raw } = JSON.parse(readFileSync(join(HERE, 'results.json'), 'utf8'));
  const trackers = createTrackers({ dist: DIST, peers: PEERS, build: { dir: BUILD } }).filter((t) => raw.perf[t.name]);
  const old = JSON.parse(readFileSync(join(HERE, 'results.json'), 'utf8')).rows;
  for (const t of trackers) t.version = old.find((r) => r.name === t.name)?.version;
  const rows = summarize(trackers, raw);
  const md = markdown(rows, { ...meta, notes: NOTES });
  writeFileSync(join(HERE, 'results.md'), md);
  writeFileSync(join(HERE, 'results.json'), JSON.stringify({ meta: { ...meta, notes: NOTES }, rows, raw }, null, 1) + '\n');
  console.log(md);
};

const main = async () => {
  if (process.env.BENCH_REPORT_ONLY) return reportOnly();
  const t0 = Date.now();
  const { lap, phases } = createLaps();
  build(ROOT);
  installPeers(PEERS);
  const prep = await prepare({ root: ROOT, peers: PEERS, dir: BUILD });
  lap('setup');
  let trackers = createTrackers({ dist: DIST, peers: PEERS, build: prep });
  if (ONLY) trackers = trackers.filter((t) => ONLY.includes(t.name));
  for (const t of trackers) {
    t.version = t.pkg
      ? JSON.parse(readFileSync(join(PEERS, 'node_modules', t.pkg, 'package.json'), 'utf8')).version
      : JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
  }
  const byName = Object.fromEntries(trackers.map((t) => [t.name, t]));

  const env = await createEnv({ trackers, rules: RULES });
  const { site, caps } = env;
  // PERF_WORKERS trackers are measured at a time, each in a browser of its own. The per-call and all-work figures
  // are the main thread's CPU time, which a neighbour on the other core does not stretch; most of a run is
  // waiting for deliveries, so two at a time about halves the run.
  const browsers = await Promise.all(Array.from({ length: PERF_WORKERS }, launch));
  const browser = browsers[0];
  const stop = async () => {
    for (const b of browsers) await b.close().catch(() => {});
    await env.close();
  };
  const watchdog = setTimeout(async () => {
    console.error('[bench] over the time limit: stopping');
    await stop();
    process.exit(2);
  }, LIMIT_MS);

  const raw = { perf: {}, bytes: {}, leave: {}, fail: {}, crash: {}, stage: { none: [], rules: [] } };
  try {
    const version = browser.version();
    log(`chromium ${version}, ${trackers.length} trackers, ${RUNS} runs`);
    // A page that hung in its 10,000 (no answer, see scenarios.mjs) hangs again in the next runs:
    // those runs measure its 1,000 only, and the report says so.
    const hungIn = new Map();
    for (let run = 0; run < RUNS; run++) {
      // Interleave, rotating who goes first, so machine noise hits every tracker alike.
      const order = trackers.map((_, i) => trackers[(i + run) % trackers.length]);
      const one = async (t, browser) => {
        const skip = hungIn.has(t.name);
        const r = await perfRun({ browser, site, cap: caps[t.name], tracker: t, run, sizes: skip ? [1000] : [1000, 10000] });
        if (skip) r.skipped = `10,000 not run again after the page hung in run ${hungIn.get(t.name) + 1}`;
        else if (r.errorAt === 10000) hungIn.set(t.name, run);
        (raw.perf[t.name] ||= []).push(r);
        log(
          `run ${run + 1}/${RUNS} ${t.name}: ready ${r.startupMs?.toFixed(1)} ms, µs/track CPU ${r[1000]?.syncCpuUs.toFixed(2)} / ${r[10000]?.syncCpuUs.toFixed(2)} (wall ${r[1000]?.syncUs.toFixed(2)} / ${r[10000]?.syncUs.toFixed(2)}), ` +
            `delivered ${r[1000]?.delivered} / ${r[10000]?.delivered}, longest gap ${r[1000]?.gapMs} / ${r[10000]?.gapMs} ms` +
            (r.error ? `, error: ${r.error}` : '') +
            ` [${formatLaps(r.phases)}]`,
        );
      };
      let next = 0;
      await Promise.all(
        browsers.map(async (b) => {
          while (next < order.length) await one(order[next++], b);
        }),
      );
      lap('perf');
      if (byName.journey) {
        for (const rules of run % 2 ? [true, false] : [false, true]) {
          const s = await stageRun({
            browser,
            site,
            tracker: byName.journey,
            rules: rules ? RULES : null,
            matcherJs: prep.matcherJs,
          });
          raw.stage[rules ? 'rules' : 'none'].push(s);
        }
        lap('stage');
      }
    }
    for (const b of browsers.splice(0)) await b.close().catch(() => {});
    const bytes = createByteCounter(join(BUILD, 'bytes.json'));
    for (const t of trackers) raw.bytes[t.name] = bytes.measure(t, site.fetched(t.name));
    bytes.save();
    lap('bytes');

    if (!process.env.BENCH_QUICK) {
      await runDelivery({ trackers, raw, log });
      lap('delivery');
    }

    const rows = summarize(trackers, raw);
    const stageMed = (k) =>
      Object.fromEntries(['trackUs', 'pageUs', 'matchUs'].map((f) => [f, median(raw.stage[k].map((s) => s[f]))]));
    const meta = {
      date: new Date().toISOString().slice(0, 10),
      machine: `${cpus().length} × ${cpus()[0]?.model?.trim() || 'cpu'}, Node ${process.version}`,
      browser: `headless Chromium ${version}`,
      runs: RUNS,
      command: 'npm run build && npm run bench',
      stage: raw.stage.none.length ? { none: stageMed('none'), rules: stageMed('rules') } : null,
      notes: NOTES,
    };
    const md = markdown(rows, meta);
    writeFileSync(join(HERE, 'results.md'), md);
    writeFileSync(join(HERE, 'results.json'), JSON.stringify({ meta, rows, raw }, null, 1) + '\n');
    console.log('\n' + md);
    lap('report');
    log(
      `done in ${Math.round((Date.now() - t0) / 1000)} s (${formatLaps(phases)}); wrote test/bench/results.md and results.json`,
    );
  } finally {
    clearTimeout(watchdog);
    await stop();
  }
};

const NOTES = [
  'Script bytes: every tracker file the page fetched (lazy chunks included), compressed here with gzip -9 and brotli -11; the inline snippet is not counted. RudderStack (npm ships it unminified) and Plausible (npm ships an ES module) were minified/bundled with esbuild for the script tag.',
  'Ready: main-thread CPU time (CDP Performance.getMetrics ThreadTime) from inserting the snippet until the tracker says it is ready (load callback / ready promise); wall time in parentheses. The script is served from loopback, so download time is nearly zero.',
  'track() µs: CPU time of the page\'s main thread (CDP Performance.getMetrics ThreadTime), which other jobs on a busy machine cannot stretch, per call. "call" is the loop of track calls itself (run as a task of its own; its thread time from a Chromium trace), with its wall time (performance.now around the loop) in parentheses; "all work" is everything the main thread did from the first call until every event was delivered (or the wait ended, see below), divided by the number of events: it includes batching, serialising, storage and sending. results.json also holds the wall-time figures (syncUs, mainUs: task time). A burst stops after 2 s of calls: "[n calls]" says a tracker got only that far (its track() slows down as its queue grows), and its figures are over those calls. A delivery wait ends when every event arrived, or once the tracker stalled: no new event for 4 s after its first delivery, and after later ones for 2.5 s or twice its longest pause between deliveries so far, whichever is longer; or 15 s after the burst; "time to all" is from the first call to the last event received, when all arrived.',
  'Hung pages: a page that has not answered 30 s after a burst began, or 10 s after its delivery wait, is hung; it is listed under "Errors seen". A tracker whose page hung at 10,000 is not given the 10,000 again in later runs (it hangs the same way every time), so its 10,000 cells stay empty while its 1,000 figures are medians over all runs. Delivered counts are taken before the page is asked for its long tasks, so a page that hangs afterwards still shows them.',
  'Long tasks: PerformanceObserver entries of type longtask (over 50 ms) from the first call of the 10,000 until delivery.',
  'Heap growth: JS heap in use (CDP Runtime.getHeapUsage after HeapProfiler.collectGarbage) after the 10,000 events were delivered, minus before they were tracked.',
  'Delivery counts unique events that reached the capture server (each event carries a marker in its props; bodies are decoded: JSON, form fields, base64, gzip). "Page left": 10 fresh visitors (a browser context each) each make 50 calls right after the tracker is ready and then follow a link off the site at once; the browser stays open until every event arrived, or 2 s after the last visitor left and the last event came, 8 s at most. "Endpoint fails": every data request is answered 503 for 8 s, then 200; we wait until all 20 arrived, 20 s at most. "Crash": the endpoint answers 503, 20 events are tracked, 5 s later the browser process is SIGKILLed, the endpoint recovers, the same profile is opened again on the same page and we wait until all 20 arrived, 15 s at most. These three run after the performance runs, side by side (each with a shop and capture servers of its own); on a busy machine their counts vary a little from run to run for trackers that race the page\'s unload (Snowplow, Segment, Mixpanel, RudderStack when the page is left).',
  'Stage cost: the rule matcher alone (src/stages/rules.ts bundled for the page) is the clean figure; page() and track() through the script tag include storage and sending and vary more between runs than the rules cost.',
  'Client-side limits are the trackers\' own defaults: posthog-js rate-limits bursts (about 100 events, then 10/s) and drops the rest; RudderStack and Plausible drop what their queues or the browser\'s keepalive quota cannot hold. Pages that hung at 10,000 (Snowplow in its burst, Mixpanel after it) are listed under "Errors seen"; their 1,000 figures stand.',
  'Machine noise: two trackers are measured at a time (BENCH_WORKERS=1 for one), each in its own browser, and other jobs may share this 2-core machine. The CPU-time figures do not stretch when a core is shared; wall times, long tasks and delivery times do: compare ratios, not absolute figures.',
  'Every tracker runs with its defaults except: endpoint on 127.0.0.1, remote config/feature flags/session recording/surveys/autocapture off, and Mixpanel with batch_requests on (its documented default for new projects). Each sends its own page view on start, as its snippet does.',
];

main().then(
  () => process.exit(0),
  (e) => {
    console.error('[bench] failed:', e);
    process.exit(1);
  },
);
