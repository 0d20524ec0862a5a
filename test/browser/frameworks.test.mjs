// The npm build as a framework app uses it (issue 20), in Chromium: React StrictMode and hot reloading create,
// destroy and create the tracker again; two components may each create one. One page view per page load.
// dist/index.js is bundled here with its dependencies (rollup, as an app's bundler would) and served inline.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { rollup } from 'rollup';
import resolve from '@rollup/plugin-node-resolve';
import { DIST, ROOT, createCapture, requireBundle } from './capture.mjs';
import { launchBrowser } from './chromium.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Longer than the tracker's send delay (1 s after the first event).
const QUIET = 2000;

describe('chromium: the npm build in a framework app', () => {
  let cap, browser, context, app;
  beforeAll(async () => {
    requireBundle();
    // The dependencies from this repository's node_modules, wherever JOURNEY_DIST points; a missing one fails here.
    const bundle = await rollup({
      input: join(DIST, 'index.js'),
      plugins: [resolve({ browser: true, modulePaths: [join(ROOT, 'node_modules')] })],
      onwarn: (w) => {
        throw new Error(w.message);
      },
    });
    ({
      output: [{ code: app }],
    } = await bundle.generate({ format: 'iife', name: 'JourneyTracker' }));
    await bundle.close();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    cap = await createCapture();
    context = await browser.newContext();
    // `script` runs after the app's bundle, as a framework's mount would.
    await context.route('**/app/**', (route) => {
      const script = new URL(route.request().url()).searchParams.get('script');
      route.fulfill({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        body: `<!doctype html><title>App</title><body><script>${app}</script><script>const endpoint = ${JSON.stringify(cap.endpoint)};\n${script}</script>`,
      });
    });
  });
  afterEach(async () => {
    await context.close();
    await cap.close();
  });

  const run = async (script) => {
    const page = await context.newPage();
    await page.goto(cap.url('/app/?script=' + encodeURIComponent(script)));
    await page.evaluate(() => window.done);
    await sleep(QUIET);
    return cap.events();
  };

  it('create, destroy, create (React StrictMode) sends one page_view', async () => {
    const events = await run(`
      const o = { endpoint, site: 'app' };
      JourneyTracker.createTracker(o).destroy();
      window.tracker = JourneyTracker.createTracker(o);
      window.done = window.tracker.flush();`);
    expect(events.filter((e) => e.type == 'page_view')).toHaveLength(1);
  });

  it('two components creating a tracker share one: one page_view, one event per click', async () => {
    const events = await run(`
      const a = JourneyTracker.createTracker({ endpoint, site: 'app' });
      const b = JourneyTracker.createTracker({ endpoint, site: 'app' });
      document.body.innerHTML = '<button data-journey-event="share">Share</button>';
      document.querySelector('button').click();
      window.done = a === b && b.flush();`);
    expect(events.filter((e) => e.type == 'page_view')).toHaveLength(1);
    expect(events.filter((e) => e.type == 'share')).toHaveLength(1);
  });
});
