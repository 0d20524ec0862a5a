// What is measured, one function per scenario. Every wait is bounded; every browser context or
// profile opened here is closed here. Nothing here asserts: it returns numbers for the report.
import { chromium } from 'playwright-core';
import { mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ARGS as BROWSER_TEST_ARGS, EXECUTABLE as DEBIAN_CHROMIUM } from '../browser/chromium.mjs';

// The same Chromium and flags as the browser tests (see test/browser/chromium.mjs).
export const EXECUTABLE = process.env.CHROMIUM || DEBIAN_CHROMIUM;
export const ARGS = BROWSER_TEST_ARGS;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** At most this long in one burst of track() calls: some trackers slow down as their queue grows. */
const BURST_MS = 3000;
/** Delivery waits after a burst: give up after `idle` ms without a new event, or `max` ms. */
const WAIT_1K = { idle: 4000, max: 15000 };
const WAIT_10K = { idle: 4000, max: 15000 };
const within = (p, ms, what) =>
  Promise.race([p, sleep(ms).then(() => Promise.reject(new Error(`${what}: no answer within ${ms} ms`)))]);

export const launch = () => chromium.launch({ executablePath: EXECUTABLE, args: ARGS });

/** Main-thread time of the page so far (ms), from Chromium's own task accounting. */
const taskMs = async (cdp) => {
  const { metrics } = await within(cdp.send('Performance.getMetrics'), 20000, 'metrics');
  return metrics.find((m) => m.name === 'TaskDuration').value * 1000;
};

/** JS heap in use after a full collection (bytes). */
const heapUsed = async (cdp) => {
  await within(cdp.send('HeapProfiler.collectGarbage'), 20000, 'gc');
  await within(cdp.send('HeapProfiler.collectGarbage'), 20000, 'gc');
  return (await within(cdp.send('Runtime.getHeapUsage'), 20000, 'heap')).usedSize;
};

/**
 * Wait until `want` events of `run` were captured; give up when nothing new came for `idle` ms
 * (a tracker that stopped sending) or after `max` ms. Returns whether all came.
 */
export const waitDelivered = async (cap, run, want, { idle = 6000, max = 20000 } = {}) => {
  const t0 = Date.now();
  for (;;) {
    if (cap.count(run) >= want) return true;
    const now = Date.now();
    // Idle counts from the last arrival only: some trackers hold their first batch for seconds.
    if ((cap.last(run) && now - cap.last(run) > idle) || now - t0 > max) return false;
    await sleep(50);
  }
};

/** Open the bench page of `tracker` in `context` and start the tracker. */
export const openTracker = async (context, site, tracker, query = '') => {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(`${site.origin}/page/${tracker.name}${query}`);
  const before = await taskMs(cdp);
  const readyMs = await within(page.evaluate(() => window.__bench.start()), 15000, `${tracker.name} ready`);
  const startupMs = (await taskMs(cdp)) - before;
  return { page, cdp, readyMs, startupMs };
};

/**
 * One performance run: start-up, then 1,000 and then 10,000 track calls, each followed by waiting
 * for delivery; heap measured around the 10,000.
 */
export const perfRun = async ({ browser, site, cap, tracker, run }) => {
  const context = await browser.newContext();
  const out = { run };
  try {
    const { page, cdp, readyMs, startupMs } = await openTracker(context, site, tracker);
    Object.assign(out, { readyMs, startupMs });
    // Let start-up work (first page view, storage) settle so it is not billed to the bursts.
    await sleep(1000);
    for (const n of [1000, 10000]) {
      const key = `${tracker.name}${run}n${n}`;
      const heap0 = n === 10000 ? await heapUsed(cdp) : 0;
      const t0 = await taskMs(cdp);
      const r = await within(page.evaluate(([n, key, ms]) => window.__bench.burst(n, key, ms), [n, key, BURST_MS]), 30000, 'burst');
      const all = await waitDelivered(cap, key, r.calls, n === 1000 ? WAIT_1K : WAIT_10K);
      await sleep(300);
      const t1 = await taskMs(cdp);
      const lt = await within(page.evaluate((s) => window.__bench.longtasks(s), r.since), 20000, 'longtasks');
      out[n] = {
        calls: r.calls,
        syncUs: (r.ms * 1000) / r.calls,
        mainUs: ((t1 - t0) * 1000) / r.calls,
        delivered: cap.count(key),
        deliverMs: all ? cap.last(key) - r.wall : null,
        longTasks: lt.length,
        longestMs: lt.reduce((m, x) => Math.max(m, x[1]), 0),
      };
      if (n === 10000) out[n].heapKB = ((await heapUsed(cdp)) - heap0) / 1024;
    }
  } catch (e) {
    out.error = String(e.message || e).split('\n')[0];
  } finally {
    await within(context.close(), 10000, 'close').catch(() => {});
  }
  return out;
};

/** 50 events, then the visitor leaves the site at once (a link to another site); 10 times. */
export const leaveRun = async ({ browser, site, cap, tracker, reps = 10 }) => {
  const contexts = [];
  const keys = [];
  try {
    for (let rep = 0; rep < reps; rep++) {
      const context = await browser.newContext();
      contexts.push(context);
      const { page } = await openTracker(context, site, tracker);
      const key = `${tracker.name}leave${rep}`;
      keys.push(key);
      await page.evaluate((key) => {
        window.__bench.burst(50, key, 0);
        location.href = '/blank';
      }, key);
      await page.waitForURL('**/blank', { timeout: 10000 }).catch(() => {});
    }
    // The browser stays open (the visitor is elsewhere): give in-flight beacons time to land.
    const t0 = Date.now();
    while (Date.now() - t0 < 8000 && keys.some((k) => cap.count(k) < 50)) await sleep(100);
    return { delivered: keys.reduce((s, k) => s + cap.count(k), 0), of: reps * 50 };
  } catch (e) {
    return { delivered: keys.reduce((s, k) => s + cap.count(k), 0), of: reps * 50, error: String(e.message || e).split('\n')[0] };
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
    const { page } = await openTracker(context, site, tracker);
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
    let { page } = await openTracker(context, site, tracker);
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
    ({ page } = await openTracker(context, site, tracker));
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
    const { page } = await openTracker(context, site, tracker, rules ? '?rules=50' : '');
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
        const match = window.__rules.compileRules(rules || [], Object.assign(() => {}, { warn() {} }));
        const urls = [];
        for (let i = 0; i < 200; i++) urls.push(new URL(`https://shop.example/c/x-${i}/item-${i}?q=${i}`));
        const s = performance.now();
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
