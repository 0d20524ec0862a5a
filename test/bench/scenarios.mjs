// What is measured, one function per scenario. Every wait is bounded; every browser context or
// profile opened here is closed here. Nothing here asserts: it returns numbers for the report.
import { chromium } from 'playwright-core';
import { mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLaps } from './laps.mjs';

import { ARGS as BROWSER_TEST_ARGS, EXECUTABLE as DEBIAN_CHROMIUM } from '../browser/chromium.mjs';

// The same Chromium and flags as the browser tests (see test/browser/chromium.mjs).
export const EXECUTABLE = process.env.CHROMIUM || DEBIAN_CHROMIUM;
export const ARGS = BROWSER_TEST_ARGS;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** At most this long in one burst of track() calls: some trackers slow down as their queue grows. */
const BURST_MS = 2000;
/**
 * Delivery waits after a burst end when every event arrived, or once the tracker stalled: nothing
 * new for `first` ms after its first delivery (it has not shown its rhythm yet: Snowplow pauses ~3 s
 * after its first batch), then for `idle` ms or twice its longest pause so far, whichever is longer
 * (RudderStack and Mixpanel pause up to ~1.8 s between batches on a loaded machine); or `max` ms
 * after the burst.
 */
const WAIT = { first: 4000, idle: 2500, max: 15000 };
/**
 * A page that does not answer a CDP call this long after its delivery wait is hung. The answer to a
 * burst takes longer: it includes the work a tracker does in microtasks right after the calls
 * (Snowplow's 1,000 take 10–16 s on a loaded machine).
 */
const HUNG_MS = 10000;
const BURST_ANSWER_MS = 30000;
const within = (p, ms, what) =>
  Promise.race([p, sleep(ms).then(() => Promise.reject(new Error(`${what}: no answer within ${ms / 1000} s`)))]);

export const launch = () => chromium.launch({ executablePath: EXECUTABLE, args: ARGS });

const metric = async (cdp, name) => {
  const { metrics } = await within(cdp.send('Performance.getMetrics'), HUNG_MS, 'metrics');
  return metrics.find((m) => m.name === name).value * 1000;
};
/** Main-thread time of the page so far (ms), from Chromium's own task accounting (wall time inside tasks). */
const taskMs = (cdp) => metric(cdp, 'TaskDuration');
/**
 * CPU time the page's main thread has used so far (ms). Other processes on a busy machine stretch wall time
 * (a task waits for a core) but not this: the figure to compare across runs.
 */
const cpuMs = (cdp) => metric(cdp, 'ThreadTime');

/** The traced call (FunctionCall) whose wall time is closest to the burst's `ms`, or undefined. */
export const burstCall = (events, ms) => {
  const calls = events.filter((e) => e.ph === 'X' && e.name === 'FunctionCall' && e.tdur != null);
  const near = calls.sort((a, b) => Math.abs(a.dur / 1e3 - ms) - Math.abs(b.dur / 1e3 - ms))[0];
  // Not found, or a task that is clearly not the loop: no figure rather than a wrong one.
  return near && Math.abs(near.dur / 1e3 - ms) <= 0.1 * ms + 1 ? near : undefined;
};

/** Thread CPU ms of the burst's traced call (see burstCall), or null. */
export const burstCpuMs = (trace, ms) => {
  const near = trace && burstCall(JSON.parse(trace.toString()).traceEvents, ms);
  return near ? near.tdur / 1e3 : null;
};

/** JS heap in use after a full collection (bytes). */
const heapUsed = async (cdp) => {
  await within(cdp.send('HeapProfiler.collectGarbage'), HUNG_MS, 'gc');
  await within(cdp.send('HeapProfiler.collectGarbage'), HUNG_MS, 'gc');
  return (await within(cdp.send('Runtime.getHeapUsage'), HUNG_MS, 'heap')).usedSize;
};

/**
 * Wait until `want` events of each of `runs` were captured, or the tracker stalled (see WAIT; idle
 * counts from the last arrival only, since some trackers hold their first batch for seconds, or
 * from `since` when given: the moment the tracker had had its chance, e.g. the page was left), or
 * `max` ms passed. Returns whether all came.
 */
export const waitDelivered = async (cap, runs, want, { first, idle, max, since = 0 }) => {
  const t0 = Date.now();
  const keys = [].concat(runs);
  let prev = 0;
  let pauses = 0;
  let gap = 0;
  for (;;) {
    if (keys.every((k) => cap.count(k) >= want)) return true;
    const now = Date.now();
    const last = Math.max(...keys.map((k) => cap.last(k)));
    if (prev && last > prev) (gap = Math.max(gap, last - prev)), pauses++;
    prev = last;
    const from = Math.max(since, last);
    const quiet = pauses || !first ? Math.max(idle, 2 * gap) : first;
    if ((from && now - from > quiet) || now - t0 > max) return false;
    await sleep(50);
  }
};

/** Longest pause between two new events of `run` (ms): shows whether the idle wait cut a tracker off. */
const longestGap = (cap, run) => {
  const at = [...cap.got(run).values()].sort((a, b) => a - b);
  let gap = 0;
  for (let i = 1; i < at.length; i++) gap = Math.max(gap, at[i] - at[i - 1]);
  return gap;
};

/** Open the bench page of `tracker` in `context` and start the tracker; `metrics`: measure start-up. */
export const openTracker = async (context, site, tracker, { query = '', metrics = true } = {}) => {
  const page = await context.newPage();
  const cdp = metrics ? await context.newCDPSession(page) : null;
  if (cdp) await cdp.send('Performance.enable');
  await page.goto(`${site.origin}/page/${tracker.name}${query}`);
  const before = cdp ? await cpuMs(cdp) : 0;
  const readyMs = await within(
    page.evaluate(() => window.__bench.start()),
    15000,
    `${tracker.name} ready`,
  );
  const startupMs = cdp ? (await cpuMs(cdp)) - before : null;
  return { page, cdp, readyMs, startupMs };
};

/**
 * One performance run: start-up, then 1,000 and then 10,000 track calls (`sizes`), each followed by
 * waiting for delivery; heap measured around the 10,000. `out.errorAt`: the burst a failure cut.
 */
export const perfRun = async ({ browser, site, cap, tracker, run, sizes = [1000, 10000] }) => {
  const { lap, phases } = createLaps();
  const context = await browser.newContext();
  const out = { run, phases };
  let n;
  try {
    const { page, cdp, readyMs, startupMs } = await openTracker(context, site, tracker);
    lap('open');
    Object.assign(out, { readyMs, startupMs });
    // Let start-up work (first page view, storage) settle so it is not billed to the bursts.
    await sleep(1000);
    lap('settle');
    for (n of sizes) {
      const key = `${tracker.name}${run}n${n}`;
      const heap0 = n === 10000 ? await heapUsed(cdp) : 0;
      const t0 = await taskMs(cdp);
      const c0 = await cpuMs(cdp);
      lap('heap');
      // The loop's own CPU time comes from a trace: the burst runs as a task of its own (a timer), whose thread
      // time (`tdur`) the trace records; CPU counters read around page.evaluate would add the evaluate's own work.
      await browser.startTracing(page, { categories: ['devtools.timeline'] });
      let r, trace;
      try {
        r = await within(
          page.evaluate(
            ([n, key, ms]) => new Promise((ok) => setTimeout(() => ok(window.__bench.burst(n, key, ms)))),
            [n, key, BURST_MS],
          ),
          BURST_ANSWER_MS,
          'burst',
        );
      } finally {
        trace = await within(browser.stopTracing(), HUNG_MS, 'trace').catch(() => null);
      }
      const loopCpuMs = burstCpuMs(trace, r.ms);
      lap(`burst${n}`);
      const all = await waitDelivered(cap, key, r.calls, WAIT);
      lap(`wait${n}`);
      // Delivery first: a page that hangs afterwards still shows what it delivered.
      out[n] = {
        calls: r.calls,
        syncUs: (r.ms * 1000) / r.calls,
        syncCpuUs: loopCpuMs == null ? null : (loopCpuMs * 1000) / r.calls,
        delivered: cap.count(key),
        deliverMs: all ? cap.last(key) - r.wall : null,
      };
      out[n].gapMs = longestGap(cap, key);
      await sleep(300);
      const t1 = await taskMs(cdp);
      const c2 = await cpuMs(cdp);
      const lt = await within(
        page.evaluate((s) => window.__bench.longtasks(s), r.since),
        HUNG_MS,
        'longtasks',
      );
      lap('after');
      Object.assign(out[n], {
        mainUs: ((t1 - t0) * 1000) / r.calls,
        mainCpuUs: ((c2 - c0) * 1000) / r.calls,
        longTasks: lt.length,
        longestMs: lt.reduce((m, x) => Math.max(m, x[1]), 0),
      });
      if (n === 10000) out[n].heapKB = ((await heapUsed(cdp)) - heap0) / 1024;
      lap('heap');
    }
  } catch (e) {
    out.error = String(e.message || e).split('\n')[0];
    out.errorAt = n;
    lap('error');
  } finally {
    await within(context.close(), 10000, 'close').catch(() => {});
    lap('close');
  }
  return out;
};

/** 50 events, then the visitor leaves the site at once (a link to another site); 10 times. */
export const leaveRun = async ({ browser, site, cap, tracker, reps = 10 }) => {
  const contexts = [];
  const keys = [];
  const { lap, phases } = createLaps();
  const out = (o) => ({ delivered: keys.reduce((s, k) => s + cap.count(k), 0), of: reps * 50, phases, ...o });
  try {
    for (let rep = 0; rep < reps; rep++) {
      // A fresh visitor each time: a context of its own (no storage from the previous one).
      const context = await browser.newContext();
      contexts.push(context);
      const { page } = await openTracker(context, site, tracker, { metrics: false });
      lap('open');
      const key = `${tracker.name}leave${rep}`;
      keys.push(key);
      await page.evaluate((key) => {
        window.__bench.burst(50, key, 0);
        location.href = '/blank';
      }, key);
      lap('burst');
      await page.waitForURL('**/blank', { timeout: 10000 }).catch(() => {});
      lap('left');
    }
    // The browser stays open (the visitor is elsewhere): in-flight beacons land within moments on
    // loopback; a page that is gone sends nothing later. Stop 2 s after the last visitor left or
    // the last event came, whichever is later; 8 s at most.
    await waitDelivered(cap, keys, 50, { idle: 2000, max: 8000, since: Date.now() });
    lap('wait');
    return out();
  } catch (e) {
    return out({ error: String(e.message || e).split('\n')[0] });
  } finally {
    for (const c of contexts) await c.close().catch(() => {});
  }
};

/** The endpoint answers 503 for `failMs`, then recovers; the page stays open. */
export const failRun = async ({ browser, site, cap, tracker, failMs = 8000, waitMs = 20000 }) => {
  const context = await browser.newContext();
  const key = `${tracker.name}fail`;
  try {
    cap.mode = 'fail';
    const { page } = await openTracker(context, site, tracker, { metrics: false });
    await page.evaluate((key) => window.__bench.burst(20, key, 0), key);
    await sleep(failMs);
    cap.mode = 'ok';
    const t0 = Date.now();
    await waitDelivered(cap, key, 20, { idle: waitMs, max: waitMs });
    return { delivered: cap.count(key), of: 20, afterMs: cap.count(key) ? cap.last(key) - t0 : null };
  } catch (e) {
    return { delivered: cap.count(key), of: 20, error: String(e.message || e).split('\n')[0] };
  } finally {
    cap.mode = 'ok';
    await context.close().catch(() => {});
  }
};

/**
 * The endpoint fails while the visitor browses; the browser is killed (SIGKILL, as a crash or an
 * OOM kill); the endpoint recovers; the visitor returns on the same profile and opens the shop.
 */
export const crashRun = async ({ site, cap, tracker, beforeKillMs = 5000, waitMs = 15000 }) => {
  const dir = mkdtempSync(join(tmpdir(), 'journey-bench-'));
  const key = `${tracker.name}crash`;
  let context;
  const open = () => chromium.launchPersistentContext(dir, { executablePath: EXECUTABLE, args: ARGS });
  try {
    cap.mode = 'fail';
    context = await open();
    let { page } = await openTracker(context, site, tracker, { metrics: false });
    await page.evaluate((key) => window.__bench.burst(20, key, 0), key);
    await sleep(beforeKillMs);
    // Chromium writes `<host>-<pid>` into the profile's SingletonLock link.
    const pid = Number(readlinkSync(join(dir, 'SingletonLock')).split('-').pop());
    const closed = new Promise((r) => context.once('close', r));
    process.kill(pid, 'SIGKILL');
    await within(closed, 10000, 'browser kill').catch(() => {});
    context = undefined;
    const lost = cap.count(key);
    cap.mode = 'ok';
    context = await open();
    ({ page } = await openTracker(context, site, tracker, { metrics: false }));
    await waitDelivered(cap, key, 20, { idle: waitMs, max: waitMs });
    return { delivered: cap.count(key), of: 20, beforeCrash: lost };
  } catch (e) {
    return { delivered: cap.count(key), of: 20, error: String(e.message || e).split('\n')[0] };
  } finally {
    cap.mode = 'ok';
    await context?.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
};

/**
 * journey-tracker only: the cost of URL rules. Per call µs of `page()` (which evaluates the rules)
 * and `track()` (stage from the event type), with no user rules and with 50 that do not match the
 * page (every rule is tried, then the defaults). `matcher` (optional) is the rule matcher alone,
 * bundled from src/stages/rules.ts, timed over many URLs.
 */
export const stageRun = async ({ browser, site, tracker, rules, matcherJs }) => {
  const context = await browser.newContext();
  try {
    const { page } = await openTracker(context, site, tracker, { query: rules ? '?rules=50' : '', metrics: false });
    await sleep(500);
    const r = await page.evaluate(() => {
      const j = window.journey;
      let s = performance.now();
      for (let i = 0; i < 1000; i++) j.track('view_item', { i });
      const track = ((performance.now() - s) * 1000) / 1000;
      s = performance.now();
      for (let i = 0; i < 300; i++) j.page({ i });
      const pageUs = ((performance.now() - s) * 1000) / 300;
      return { trackUs: track, pageUs };
    });
    if (matcherJs) {
      await page.addScriptTag({ content: matcherJs });
      r.matchUs = await page.evaluate((rules) => {
        const match = window.__rules.compileRules(
          rules || [],
          Object.assign(() => {}, { warn() {} }),
        );
        const urls = [];
        for (let i = 0; i < 200; i++) urls.push(new URL(`https://shop.example/c/x-${i}/item-${i}?q=${i}`));
        const s = performance.now();
        // biome-ignore lint/correctness/noUnusedVariables: the sum keeps each match's result in use while timed
        let n = 0;
        for (let k = 0; k < 50; k++) for (const u of urls) n += match(u).stage ? 1 : 0;
        return ((performance.now() - s) * 1000) / (50 * urls.length);
      }, rules || null);
    }
    return r;
  } catch (e) {
    return { error: String(e.message || e).split('\n')[0] };
  } finally {
    await context.close().catch(() => {});
  }
};
