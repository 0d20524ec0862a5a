// `npm run bench`: journey-tracker against the trackers shops use, side by side in one headless
// Chromium, against a capture server on 127.0.0.1. Writes results.md and results.json next to this
// file and prints the tables. Not part of `npm test`; it asserts nothing.
//
// Env: BENCH_RUNS (performance runs per tracker, default 3), BENCH_ONLY=journey,posthog (a subset),
// BENCH_NO_BUILD=1 (use dist/ as it is), BENCH_NO_INSTALL=1 (peers already installed),
// BENCH_QUICK=1 (skip the delivery scenarios), BENCH_REPORT_ONLY=1 (re-render results.md from results.json).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { createCapture, createSite } from './server.mjs';
import { benchPage } from './harness.mjs';
import { PACKAGES, createTrackers } from './peers.mjs';
import { crashRun, failRun, launch, leaveRun, perfRun, sleep, stageRun } from './scenarios.mjs';
import { markdown, median, summarize } from './report.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '..', '..');
const PEERS = join(HERE, 'peers');
const BUILD = join(PEERS, 'build');
const DIST = join(ROOT, 'dist');
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS) || 3);
const ONLY = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : null;
// A full run takes a few minutes; this stops a stuck one for good.
const LIMIT_MS = 25 * 60 * 1000;
const PARALLEL = 4;

const log = (...a) => console.log('[bench]', ...a);
const sh = (cmd, args, cwd) => spawnSync(cmd, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' }).status === 0;

/** Build journey-tracker (the bundle may be changing under us: always rebuild unless told not to). */
const build = () => {
  if (!process.env.BENCH_NO_BUILD) {
    log('npm run build');
    if (!sh('npm', ['run', 'build'], ROOT)) log('build failed: using dist/ as it is');
  }
  if (!existsSync(join(DIST, 'journey.min.js'))) throw new Error('dist/journey.min.js is missing: run `npm run build`.');
};

/** Install the pinned peers into test/bench/peers (its own package.json, git-ignored). */
const installPeers = () => {
  mkdirSync(PEERS, { recursive: true });
  const pkg = { name: 'journey-bench-peers', private: true, description: 'Written by test/bench/run.mjs', dependencies: PACKAGES };
  const file = join(PEERS, 'package.json');
  const text = JSON.stringify(pkg, null, 2) + '\n';
  const same = existsSync(file) && readFileSync(file, 'utf8') === text;
  const present = Object.entries(PACKAGES).every(([name, v]) => {
    try {
      return JSON.parse(readFileSync(join(PEERS, 'node_modules', name, 'package.json'), 'utf8')).version === v;
    } catch {
      return false;
    }
  });
  if (same && present) return;
  if (process.env.BENCH_NO_INSTALL) throw new Error('peers are not installed and BENCH_NO_INSTALL is set');
  writeFileSync(file, text);
  log('installing peers into test/bench/peers');
  if (!sh('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], PEERS))
    throw new Error('npm install of the peers failed');
};

/** Builds the peers need for a script tag, and the rule matcher for the stage benchmark. */
const prepare = async () => {
  const esbuild = await import('esbuild');
  mkdirSync(BUILD, { recursive: true });
  const nm = (p) => join(PEERS, 'node_modules', p);
  await esbuild.build({
    entryPoints: [nm('@rudderstack/analytics-js/dist/npm/modern/bundled/umd/index.js')],
    outfile: join(BUILD, 'rudderstack.min.js'),
    minify: true,
    logLevel: 'error',
  });
  await esbuild.build({
    entryPoints: [nm('@plausible-analytics/tracker/plausible.js')],
    outfile: join(BUILD, 'plausible.min.js'),
    bundle: true,
    format: 'iife',
    globalName: 'PlausibleTracker',
    minify: true,
    logLevel: 'error',
  });
  let matcherJs = null;
  try {
    const r = await esbuild.build({
      entryPoints: [join(ROOT, 'src', 'stages', 'rules.ts')],
      bundle: true,
      format: 'iife',
      globalName: '__rules',
      minify: true,
      write: false,
      logLevel: 'silent',
    });
    matcherJs = r.outputFiles[0].text;
  } catch (e) {
    log('rule matcher not bundled (src/stages/rules.ts changed?):', e.message.split('\n')[0]);
  }
  const segmentChunks = readdirSync(nm('@segment/analytics-next/dist/umd')).filter((f) => /\.bundle\.\w+\.js$/.test(f));
  return { dir: BUILD, segmentChunks, matcherJs };
};

/** raw / gzip -9 / brotli -11 bytes of the files a tracker's page fetched. */
const measureBytes = (tracker, paths) => {
  const files = (paths.length ? paths : Object.keys(tracker.files)).map((p) => tracker.files[p]).filter(Boolean);
  const sum = { raw: 0, gzip: 0, brotli: 0, files: paths };
  for (const f of files) {
    const buf = readFileSync(f);
    sum.raw += buf.length;
    sum.gzip += gzipSync(buf, { level: 9 }).length;
    sum.brotli += brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  return sum;
};

/** 50 user rules that do not match the bench page: the matcher tries all of them. */
const RULES = Array.from({ length: 50 }, (_, i) =>
  i % 5 == 4 ? { match: `re:^/promo-${i}(/|$)`, event: 'view_promotion' } : { match: `/bench-${i}/*/item-*`, stage: 'consideration' },
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
  build();
  installPeers();
  const prep = await prepare();
  let trackers = createTrackers({ dist: DIST, peers: PEERS, build: prep });
  if (ONLY) trackers = trackers.filter((t) => ONLY.includes(t.name));
  for (const t of trackers) {
    t.version = t.pkg
      ? JSON.parse(readFileSync(join(PEERS, 'node_modules', t.pkg, 'package.json'), 'utf8')).version
      : JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
  }

  // One capture server per tracker: each can fail on its own while others run.
  const caps = {};
  for (const t of trackers) caps[t.name] = await createCapture();
  const files = Object.assign({}, ...trackers.map((t) => t.files));
  let site;
  const byName = Object.fromEntries(trackers.map((t) => [t.name, t]));
  const routes = {};
  site = await createSite({
    files,
    routes,
    page: (name, url) => {
      const t = byName[name];
      if (!t) return '<!doctype html><title>unknown</title>';
      const rules = url.searchParams.get('rules') ? RULES : null;
      return benchPage(t, t.paste({ site: site.origin, collector: caps[name].origin, rules }));
    },
  });
  for (const t of trackers) Object.assign(routes, t.routes?.({ site: site.origin, collector: caps[t.name].origin }) || {});

  let browser = await launch();
  const stop = async () => {
    await browser?.close().catch(() => {});
    await site.close();
    for (const c of Object.values(caps)) await c.close();
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
    for (let run = 0; run < RUNS; run++) {
      // Interleave, rotating who goes first, so machine noise hits every tracker alike.
      const order = trackers.map((_, i) => trackers[(i + run) % trackers.length]);
      for (const t of order) {
        const r = await perfRun({ browser, site, cap: caps[t.name], tracker: t, run });
        (raw.perf[t.name] ||= []).push(r);
        log(
          `run ${run + 1}/${RUNS} ${t.name}: ready ${r.startupMs?.toFixed(1)} ms, µs/track ${r[1000]?.syncUs.toFixed(2)} / ${r[10000]?.syncUs.toFixed(2)}, ` +
            `delivered ${r[1000]?.delivered} / ${r[10000]?.delivered}` +
            (r.error ? `, error: ${r.error}` : ''),
        );
      }
      if (trackers.some((t) => t.name === 'journey')) {
        for (const rules of run % 2 ? [true, false] : [false, true]) {
          const s = await stageRun({ browser, site, tracker: byName.journey, rules: rules ? RULES : null, matcherJs: prep.matcherJs });
          raw.stage[rules ? 'rules' : 'none'].push(s);
        }
      }
    }
    for (const t of trackers) raw.bytes[t.name] = measureBytes(t, site.fetched(t.name));

    if (!process.env.BENCH_QUICK) {
      // The delivery scenarios mostly wait; trackers run them side by side, a few at a time, each
      // against its own capture server, in a fresh browser per group.
      await browser.close().catch(() => {});
      const queue = [...trackers];
      const worker = async () => {
        for (let t; (t = queue.shift()); ) {
          const own = await launch();
          const cap = caps[t.name];
          try {
            raw.leave[t.name] = await leaveRun({ browser: own, site, cap, tracker: t });
            raw.fail[t.name] = await failRun({ browser: own, site, cap, tracker: t });
          } finally {
            await own.close().catch(() => {});
          }
          raw.crash[t.name] = await crashRun({ site, cap, tracker: t });
          log(`${t.name}: left ${raw.leave[t.name].delivered}/500, fail ${raw.fail[t.name].delivered}/20, crash ${raw.crash[t.name].delivered}/20`);
        }
      };
      await Promise.all(Array.from({ length: PARALLEL }, worker));
      browser = undefined;
    }

    const rows = summarize(trackers, raw);
    const stageMed = (k) => Object.fromEntries(['trackUs', 'pageUs', 'matchUs'].map((f) => [f, median(raw.stage[k].map((s) => s[f]))]));
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
    log(`done in ${Math.round((Date.now() - t0) / 1000)} s; wrote test/bench/results.md and results.json`);
  } finally {
    clearTimeout(watchdog);
    await stop();
  }
};

const NOTES = [
  'Script bytes: every tracker file the page fetched (lazy chunks included), compressed here with gzip -9 and brotli -11; the inline snippet is not counted. RudderStack (npm ships it unminified) and Plausible (npm ships an ES module) were minified/bundled with esbuild for the script tag.',
  'Ready: main-thread time (Chromium task accounting, CDP Performance.getMetrics TaskDuration) from inserting the snippet until the tracker says it is ready (load callback / ready promise); wall time in parentheses. The script is served from loopback, so download time is nearly zero.',
  'track() µs: "call" is the synchronous time of the call itself (performance.now around a loop of track calls); "all work" is all main-thread task time from the first call until every event was delivered (or the wait ended, see below), divided by the number of events: it includes batching, serialising, storage and sending. A burst stops after 3 s of calls: "[n calls]" says a tracker got only that far (its track() slows down as its queue grows), and its figures are over those calls. Delivery waits end 4 s after the last new event arrived, or 15 s after the burst; "time to all" is from the first call to the last event received, when all arrived.',
  'Long tasks: PerformanceObserver entries of type longtask (over 50 ms) from the first call of the 10,000 until delivery.',
  'Heap growth: JS heap in use (CDP Runtime.getHeapUsage after HeapProfiler.collectGarbage) after the 10,000 events were delivered, minus before they were tracked.',
  'Delivery counts unique events that reached the capture server (each event carries a marker in its props; bodies are decoded: JSON, form fields, base64, gzip). "Page left": 10 fresh visitors each make 50 calls right after the tracker is ready and then follow a link off the site at once; the browser stays open 8 s. "Endpoint fails": every data request is answered 503 for 8 s, then 200; we wait 20 s more. "Crash": the endpoint answers 503, 20 events are tracked, 5 s later the browser process is SIGKILLed, the endpoint recovers, the same profile is opened again on the same page and we wait 15 s.',
  'Stage cost: the rule matcher alone (src/stages/rules.ts bundled for the page) is the clean figure; page() and track() through the script tag include storage and sending and vary more between runs than the rules cost.',
  'Client-side limits are the trackers\' own defaults: posthog-js rate-limits bursts (about 100 events, then 10/s) and drops the rest; RudderStack and Plausible drop what their queues or the browser\'s keepalive quota cannot hold. Pages that crashed or hung in a burst (Snowplow, Mixpanel at 10,000) are listed under "Errors seen"; their 1,000 figures stand.',
  'Machine noise: other jobs shared this 2-core machine; compare ratios, not absolute figures.',
  'Every tracker runs with its defaults except: endpoint on 127.0.0.1, remote config/feature flags/session recording/surveys/autocapture off, and Mixpanel with batch_requests on (its documented default for new projects). Each sends its own page view on start, as its snippet does.',
];

main().then(
  () => process.exit(0),
  (e) => {
    console.error('[bench] failed:', e);
    process.exit(1);
  },
);
