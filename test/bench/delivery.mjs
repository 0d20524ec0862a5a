// The delivery scenarios (page left, failing endpoint, crash) mostly wait: for beacons, for an
// endpoint to recover, for a browser to come back. They run side by side, each scenario kind in an
// environment of its own (shop and capture servers, see env.mjs), after the performance runs so
// they never share the CPU with a measurement of main-thread time.
import { createEnv } from './env.mjs';
import { createLaps, formatLaps } from './laps.mjs';
import { crashRun, failRun, launch, leaveRun } from './scenarios.mjs';

/** Run `fn` over `items`, at most `n` at a time. */
const pool = (items, n, fn) => {
  const queue = [...items];
  const worker = async () => {
    for (let x; (x = queue.shift()); ) await fn(x);
  };
  return Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
};

/**
 * How many trackers at a time per scenario. Page left loads 10 pages per tracker and the crash
 * scenario launches two browsers: a few at a time keep two cores busy without starving them.
 * The failing endpoint is mostly a timer and runs for all at once.
 */
const PARALLEL = { leave: 4, crash: 4, fail: 8 };

/** Fills raw.leave, raw.fail and raw.crash for every tracker. */
export const runDelivery = async ({ trackers, raw, log }) => {
  const envs = {};
  for (const kind of ['leave', 'fail', 'crash']) envs[kind] = await createEnv({ trackers });
  // One browser for page left and failing endpoint: every visitor gets a fresh context of its own.
  // The crash scenario launches (and kills) a browser per tracker on a profile of its own.
  const browser = await launch();
  const timed = async (kind, t, run) => {
    const { lap, phases } = createLaps();
    raw[kind][t.name] = await run({ site: envs[kind].site, cap: envs[kind].caps[t.name], tracker: t });
    lap(kind);
    const r = raw[kind][t.name];
    log(`${t.name}: ${kind} ${r.delivered}/${r.of}${r.error ? ` (${r.error})` : ''} [${formatLaps({ ...phases, ...r.phases })}]`);
  };
  try {
    await Promise.all([
      pool(trackers, PARALLEL.leave, (t) => timed('leave', t, (o) => leaveRun({ browser, ...o }))),
      pool(trackers, PARALLEL.fail, (t) => timed('fail', t, (o) => failRun({ browser, ...o }))),
      pool(trackers, PARALLEL.crash, (t) => timed('crash', t, crashRun)),
    ]);
  } finally {
    await browser.close().catch(() => {});
    for (const e of Object.values(envs)) await e.close();
  }
};
