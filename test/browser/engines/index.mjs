// The engine driver layer: every scenario is written once against this small interface and runs
// in each engine of ENGINES (JOURNEY_ENGINES=chromium,firefox picks some).
//
// engine:  { name, executable, can: { offline, persist, kill, init }, launch(), profile(), stop?() }
//          a `can` entry is true, or the reason the engine cannot do it (printed when skipped).
// browser: { newPage({ init? }), setOffline(on), closePages(), close() }   (launch() or profile.open())
// profile: { open() → browser, close(), kill() (SIGKILL), remove() }       (a profile on disk)
// page:    { goto(url), eval(fn, arg), url(), close(), raw }
import chromium from './chromium.mjs';
import firefox from './firefox.mjs';
import webkit from './webkit.mjs';

const ALL = [chromium, firefox, webkit];
const picked = (process.env.JOURNEY_ENGINES || '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
export const ENGINES = picked.length ? ALL.filter((e) => picked.includes(e.name)) : ALL;

/** The reason `engine` cannot do `what`, or '' when it can. */
export const cannot = (engine, what) => (engine.can[what] === true ? '' : `${engine.name}: ${engine.can[what]}`);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Poll `fn(arg)` in the page until truthy. Errors (a navigation in between) count as not yet. */
export const waitFor = async (page, fn, arg, { timeout = 15_000, what = 'the page' } = {}) => {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await page.eval(fn, arg).catch(() => undefined);
    if (v) return v;
    if (Date.now() > end)
      throw new Error(`timed out after ${timeout} ms waiting for ${what} (at ${await page.url().catch(() => '?')})`);
    await sleep(50);
  }
};

/** Wait until the bundle replaced the stub and record.js listens (fixture pages set __ready). */
export const whenReady = (page, timeout) =>
  waitFor(page, () => window.__ready === true, undefined, { timeout, what: 'the bundle' });

export const openShop = async (browser, url, options) => {
  const page = await browser.newPage(options);
  await page.goto(url);
  await whenReady(page);
  return page;
};

export const flush = (page) => page.eval(() => window.journey.flush().then(() => true));
/** Start a flush without waiting for it: it may never settle (offline, hanging endpoint). */
export const kick = (page) => page.eval(() => void window.journey.flush()).catch(() => {});

/** `journey.track(type, { i })` n times in one task. */
export const trackBurst = (page, type, n) =>
  page.eval(
    ([type, n]) => {
      for (let i = 0; i < n; i++) window.journey.track(type, { i });
    },
    [type, n],
  );

/** Fire n events and navigate to `url` in the same task: nothing gets sent while the page lives. */
export const trackThenLeave = async (page, type, n, url) => {
  await page
    .eval(
      ([type, n, url]) => {
        for (let i = 0; i < n; i++) window.journey.track(type, { i });
        location.href = url;
      },
      [type, n, url],
    )
    // The navigation may tear the script's context down before it answers.
    .catch(() => {});
  await waitFor(page, (u) => location.href === u && window.__ready === true, url, { what: `arrival at ${url}` });
};

/** What record.js saw this page create so far: `[{ id, type, url }]`. */
export const pageEvents = (page) => page.eval(() => window.__events.slice());
