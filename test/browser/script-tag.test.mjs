// The built script-tag bundle pasted as a shop owner does (README, "Quickstart: shop owners"), in every engine of
// engines/index.mjs: what reaches the collector for page views, SPA navigation, leaving, stub replay.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCapture, requireBundle } from './capture.mjs';
import { ENGINES, flush, openShop, pageEvents, waitFor } from './engines/index.mjs';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const STAGES = ['awareness', 'consideration', 'conversion', 'retention', 'advocacy'];
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** The millisecond timestamp in a ULID's first 10 characters. */
const ulidTime = (id) => [...id.slice(0, 10)].reduce((t, c) => t * 32 + CROCKFORD.indexOf(c), 0);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ofType =
  (type, more = () => true) =>
  (evs) => {
    const found = evs.filter((e) => e.type === type && more(e));
    return found.length > 0 && found;
  };
const QUEUED = Array.from({ length: 21 }, (_, i) => `queued_${i + 1}`);
const N = QUEUED.map((_, i) => i + 1);

for (const engine of ENGINES) {
  describe(`${engine.name}: script tag bundle (dist/journey.min.js)`, () => {
    let cap, browser;
    beforeAll(async () => {
      requireBundle();
      browser = await engine.launch();
    });
    afterAll(async () => {
      await browser?.close();
      await engine.stop?.();
    });
    // A capture server per test: a new origin, so no visitor, session or queue leaks between tests.
    beforeEach(async () => {
      cap = await createCapture();
    });
    afterEach(async () => {
      await browser.closePages();
      await cap.close();
    });

    it('sends a page_view with every contract field in a v1 batch as text/plain', async () => {
      const before = Date.now();
      const page = await openShop(browser, cap.url('/shop/products/shirt?color=blue'));
      await flush(page);
      const [pv] = await cap.waitForEvents(ofType('page_view'));
      const req = cap.requests.find((r) => r.stored && r.body.events.some((e) => e.id === pv.id));

      expect(req.contentType).toMatch(/^text\/plain/);
      expect(req.body.v).toBe(1);
      expect(req.body.site).toBe('test-shop');
      expect(typeof req.body.sent_at).toBe('number');
      expect(req.body.sent_at).toBeGreaterThanOrEqual(pv.time);

      expect(pv.id).toMatch(ULID);
      expect(pv.type).toBe('page_view');
      expect(Number.isInteger(pv.time)).toBe(true);
      expect(pv.time).toBeGreaterThanOrEqual(before);
      expect(pv.time).toBeLessThanOrEqual(Date.now());
      // Time first: the id's timestamp is the event's time (same clock, allow a little skew).
      expect(Math.abs(ulidTime(pv.id) - pv.time)).toBeLessThan(60_000);
      expect(pv.visitor_id).toEqual(expect.any(String));
      expect(pv.visitor_id.length).toBeGreaterThan(0);
      expect(pv.session_id).toEqual(expect.any(String));
      expect(pv.session_id.length).toBeGreaterThan(0);
      expect(STAGES).toContain(pv.stage);
      expect(pv.url).toBe(await page.url());
      expect(pv.url).toBe(cap.url('/shop/products/shirt?color=blue'));
      expect(pv.referrer).toBe('');
      expect(pv.title).toBe('Journey test shop');
      expect(pv.props).toEqual(expect.any(Object));
      expect(Array.isArray(pv.props)).toBe(false);
    });

    it('pushState to a new path sends a second page_view; replaceState to the same path and query sends none', async () => {
      const page = await openShop(browser, cap.url('/shop/collections/all?sort=price'));
      await flush(page);
      await cap.waitForEvents(ofType('page_view'));

      await page.eval(() => history.pushState({}, '', '/shop/products/hat?size=m'));
      await flush(page);
      const [pushed] = await cap.waitForEvents(ofType('page_view', (e) => e.url.endsWith('/shop/products/hat?size=m')));
      expect(pushed.url).toBe(cap.url('/shop/products/hat?size=m'));
      expect(pushed.id).toMatch(ULID);

      const seenBefore = (await pageEvents(page)).length;
      await page.eval(() => history.replaceState({ tab: 2 }, '', location.pathname + location.search));
      // Give a deferred page view (title settling, a timer) its chance before the sentinel.
      await sleep(500);
      await page.eval(() => window.journey.track('sentinel'));
      await flush(page);
      await cap.waitForEvents(ofType('sentinel'));

      const views = cap.events().filter((e) => e.type === 'page_view');
      expect(views.map((e) => e.url)).toEqual([
        cap.url('/shop/collections/all?sort=price'),
        cap.url('/shop/products/hat?size=m'),
      ]);
      expect((await pageEvents(page)).slice(seenBefore).filter((e) => e.type === 'page_view')).toEqual([]);
    });

    it('sends page_leave with a numeric engaged_ms when the visitor navigates away', async () => {
      const page = await openShop(browser, cap.url('/shop/products/shirt'));
      await sleep(300); // the visitor looks at the page for a moment
      await page.eval(() => document.getElementById('next').click()).catch(() => {});
      await waitFor(page, (u) => location.href === u, cap.url('/shop/next'), { what: 'the next page' });
      const [leave] = await cap.waitForEvents(
        ofType('page_leave', (e) => e.url === cap.url('/shop/products/shirt')),
        15_000,
      );
      expect(leave.id).toMatch(ULID);
      expect(typeof leave.props.engaged_ms).toBe('number');
      expect(Number.isFinite(leave.props.engaged_ms)).toBe(true);
      expect(leave.props.engaged_ms).toBeGreaterThan(0);
    });

    /** Open the page whose stub queues identify/track calls (queued_1 … queued_21), bundle held back. */
    const queuedEvents = async () => {
      cap.delay = 500; // hold the bundle back so every queued call really precedes it
      const page = await openShop(browser, cap.url('/queued/'));
      await flush(page);
      const evs = await cap.waitForEvents((all) => QUEUED.every((t) => all.some((e) => e.type === t)) && all, 15_000);
      return QUEUED.map((t) => evs.find((e) => e.type === t));
    };

    it('replays track calls queued through the stub before the bundle loaded, in an order the wire keeps', async () => {
      const queued = await queuedEvents();
      expect(queued.map((e) => e.props.n)).toEqual(N);
      expect(new Set(queued.map((e) => e.id)).size).toBe(QUEUED.length);
      // A receiver orders by time, then id (ULIDs sort by time): that must give the call order,
      // also for the calls the replay puts in the same millisecond.
      const byTimeThenId = [...queued].sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : 1));
      expect(byTimeThenId.map((e) => e.props.n)).toEqual(N);
      // Batches may split them, but within one batch they keep their order.
      for (const b of cap.batches()) {
        const inBatch = b.events.filter((e) => QUEUED.includes(e.type)).map((e) => e.props.n);
        expect(inBatch).toEqual([...inBatch].sort((x, y) => x - y));
      }
    });

    it('replays a queued identify in its place, and before the first page_view', async () => {
      // queued.html: identify('u-1'), track 1, identify('u-2'), tracks 2…20, then track 21.
      const queued = await queuedEvents();
      const [pv] = await cap.waitForEvents(ofType('page_view'));
      expect(pv.user_id).toBe('u-2');
      expect(queued[0].user_id).toBe('u-1');
      expect(queued.slice(1).every((e) => e.user_id === 'u-2')).toBe(true);
    });
  });
}
