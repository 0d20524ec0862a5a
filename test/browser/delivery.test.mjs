// Durable delivery (issues 4 and 11) in every engine: each scenario is written once against the
// driver layer (engines/) and counts what reached the capture server against what the scenario made
// the pages create (engines/tally.mjs). Duplicates are allowed (receivers drop repeats by id) but
// counted; events lost, or one event stored under two ids, fail the test. Where an engine cannot
// stage a fault, the fault is made on the server side or the scenario is skipped with the reason.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCapture, requireBundle } from './capture.mjs';
import { ENGINES, cannot, flush, kick, openShop, pageEvents, trackBurst, trackThenLeave, whenReady } from './engines/index.mjs';
import { createTable, leaves, tally, tracked, views, waitForKeys } from './engines/tally.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const table = createTable('delivery');
afterAll(() => table.print());

for (const engine of ENGINES) {
  describe(`${engine.name}: durable delivery through the script tag`, () => {
    let cap, browser;
    const cleanup = [];

    /** All `keys` arrive, none under two ids; the figures go to the table. */
    const expectAll = async (scenario, server, keys, timeout = 30_000) => {
      await waitForKeys(server, keys, timeout);
      const t = tally(server, keys);
      table.add(engine.name, scenario, t);
      expect(t.missing).toEqual([]);
      expect(t.recreated).toEqual([]);
      return t;
    };
    /** `it`, or a skipped `it` whose title and the table carry the reason. */
    const unless = (reason, title, fn) => {
      if (!reason) return it(title, fn);
      table.skip(engine.name, title.replace(/:.*/, ''), reason);
      return it.skip(`${title} (skipped: ${reason})`, fn);
    };

    beforeAll(async () => {
      requireBundle();
      browser = await engine.launch();
    });
    afterAll(async () => {
      await browser?.close();
      await engine.stop?.();
    });
    // A capture server per test: a new origin, so no stored queue leaks from one test to the next.
    beforeEach(async () => {
      cap = await createCapture();
    });
    afterEach(async () => {
      while (cleanup.length)
        await cleanup
          .pop()()
          .catch(() => {});
      await browser.closePages();
      await cap.close();
    });

    it('1. 50 events then navigating away at once, 10 times: all arrive', async () => {
      const page = await openShop(browser, cap.url('/shop/start'));
      const keys = views('/shop/start');
      let left = '/shop/start';
      for (let round = 0; round < 10; round++) {
        const next = `/shop/page-${round + 1}`;
        await trackThenLeave(page, `burst_${round}`, 50, cap.url(next));
        const these = [...tracked(`burst_${round}`, 50), ...leaves(left), ...views(next)];
        await waitForKeys(cap, these, 20_000);
        keys.push(...these);
        left = next;
      }
      await expectAll('1 50 events + navigate away x10', cap, keys);
    });

    it('2. endpoint answers 500, 500, 503, 503 (Retry-After), then recovers: all arrive, with the same ids', async () => {
      cap.answerSequence([500, 500, { status: 503, retryAfter: 1 }, { status: 503, retryAfter: 1 }]);
      const page = await openShop(browser, cap.url('/shop/retry'));
      await trackBurst(page, 'retry', 20);
      await kick(page);
      await expectAll('2 500/503 then ok', cap, [...tracked('retry', 20), ...views('/shop/retry')], 60_000);
      // Everything this live page created (stage changes too) arrived.
      await cap.waitForIds(
        (await pageEvents(page)).map((e) => e.id),
        15_000,
      );

      const failed = cap.requests.filter((r) => !r.stored);
      expect(failed.map((r) => r.answered)).toEqual(['500', '500', '503', '503']);
      // A retry resends the same events under the same ids: nothing failed is lost or renamed.
      const stored = cap.uniqueIds();
      for (const r of failed) for (const e of r.body.events) expect(stored.has(e.id)).toBe(true);
    });

    const noProfile = cannot(engine, 'persist');
    it(`3. endpoint down while the visitor browses and closes the ${noProfile ? 'tab' : 'browser'}; it comes back; the visitor returns: all arrive`, async () => {
      // The collector on an origin of its own, so it can be down while the shop pages still load.
      const collector = await createCapture();
      cleanup.push(() => collector.close());
      cap.endpoint = collector.url('/collect');
      await collector.stop();

      let profile;
      let b = browser;
      if (noProfile) console.log(`[delivery] 3: ${noProfile}: the browser stays open, the return visit is a new window`);
      else {
        profile = engine.profile();
        cleanup.push(() => profile.remove());
        b = await profile.open();
      }
      const page = await openShop(b, cap.url('/shop/products/a'));
      await trackBurst(page, 'down_a', 10);
      await page.goto(cap.url('/shop/products/b'));
      await whenReady(page);
      await trackBurst(page, 'down_b', 10);
      await sleep(500); // the visitor reads a moment (events reach IndexedDB within ~100 ms)
      // Closing the tab: pagehide, whose beacon meets a dead endpoint. In Firefox the tab's content process is shut
      // down at once and the script running then is aborted, often the tracker's pagehide listener (issue #11).
      await page.close();
      await sleep(500);
      if (profile) await profile.close(); // and later the browser
      expect(collector.requests).toHaveLength(0);

      await collector.start();
      if (profile) b = await profile.open();
      await openShop(b, cap.url('/shop/back'));
      const keys = [
        ...tracked('down_a', 10),
        ...tracked('down_b', 10),
        ...views('/shop/products/a', '/shop/products/b', '/shop/back'),
      ];
      // The page_leave of both pages too, the closed tab's included: made while the endpoint was down.
      keys.push(...leaves('/shop/products/a', '/shop/products/b'));
      await expectAll(`3 endpoint down, ${noProfile ? 'tab' : 'browser'} closed, return`, collector, keys);
    });

    unless(
      cannot(engine, 'kill'),
      '4. browser killed (SIGKILL) mid-flush; a new browser on the same profile opens the shop: all arrive',
      async () => {
        const profile = engine.profile();
        cleanup.push(() => profile.remove());
        let b = await profile.open();
        const page = await openShop(b, cap.url('/shop/crash'));
        await kick(page);
        // Once the page view is in, the next requests reach the server but are never answered.
        await cap.waitForEvents((evs) => evs.some((e) => e.type === 'page_view'));
        cap.answer(() => 'hang');
        await trackBurst(page, 'crash', 100);
        await kick(page);
        await cap.waitForEvents(
          () => cap.requests.some((r) => r.answered === 'hang' && r.body.events.some((e) => e.type === 'crash')),
          15_000,
        );
        await sleep(300); // events reach IndexedDB within ~100 ms
        await profile.kill();

        cap.answer(null);
        b = await profile.open();
        await openShop(b, cap.url('/shop/after'));
        await expectAll('4 SIGKILL mid-flush, reopened', cap, [...tracked('crash', 100), ...views('/shop/crash', '/shop/after')]);
      },
    );

    const noOffline = cannot(engine, 'offline');
    it(`5. ${noOffline ? 'endpoint unreachable (listener stopped)' : 'offline'} for a while, then back: all arrive`, async () => {
      const page = await openShop(browser, cap.url('/shop/offline'));
      await kick(page);
      await cap.waitForEvents((evs) => evs.some((e) => e.type === 'page_view'));
      if (noOffline) {
        console.log(`[delivery] 5: ${noOffline}`);
        await cap.stop();
      } else await browser.setOffline(true);
      await trackBurst(page, 'offline_a', 20);
      await kick(page);
      await sleep(1_500);
      await trackBurst(page, 'offline_b', 20);
      await kick(page);
      await sleep(1_000);
      const keys = [...tracked('offline_a', 20), ...tracked('offline_b', 20)];
      // Nothing can have been stored meanwhile (else the fault did not hold).
      expect(tally(cap, keys).delivered).toBe(0);
      if (noOffline) await cap.start();
      else await browser.setOffline(false);
      await expectAll(noOffline ? '5 endpoint unreachable, then back' : '5 offline then online', cap, [
        ...keys,
        ...views('/shop/offline'),
      ]);
    });

    it('6. two tabs firing at once: all arrive, none sent by both tabs', async () => {
      const a = await openShop(browser, cap.url('/shop/tab-a'));
      // Firefox opens the second page as a foreground tab and hides the first: a hidden page beacons what it has
      // not delivered yet (its page view), which a round of the other tab may send as well, by design. The
      // scenario is two live tabs, so the first has delivered what it had before the second hides it.
      await flush(a);
      const b = await openShop(browser, cap.url('/shop/tab-b'));
      const keys = views('/shop/tab-a', '/shop/tab-b');
      for (let round = 0; round < 3; round++) {
        await Promise.all([trackBurst(a, `tab_a_${round}`, 40), trackBurst(b, `tab_b_${round}`, 40)]);
        await Promise.all([kick(a), kick(b)]);
        keys.push(...tracked(`tab_a_${round}`, 40), ...tracked(`tab_b_${round}`, 40));
      }
      await expectAll('6 two tabs', cap, keys);
      await sleep(1_000); // let a late second copy show up before counting

      // Which tab sent a batch: the Referer of the POST is the sending page.
      const senders = new Map();
      for (const r of cap.requests.filter((q) => q.stored))
        for (const e of r.body.events) senders.set(e.id, (senders.get(e.id) || new Set()).add(r.referer));
      const byBoth = [...senders].filter(([, s]) => s.size > 1).map(([id]) => id);
      console.log(
        `[delivery] ${engine.name} 6: ${tally(cap, keys).duplicates} duplicates, ${byBoth.length} ids sent by both tabs`,
      );
      expect(byBoth).toEqual([]);
    });

    const noIndexedDB = {
      'indexedDB.open throws': () => {
        IDBFactory.prototype.open = () => {
          throw new DOMException('IndexedDB disabled by the test', 'InvalidStateError');
        };
      },
      'indexedDB missing': () => {
        Object.defineProperty(window, 'indexedDB', { configurable: true, get: () => undefined });
      },
    };
    for (const [how, init] of Object.entries(noIndexedDB)) {
      unless(
        cannot(engine, 'init'),
        `7. IndexedDB unavailable (${how}): the page's events still arrive, also when leaving at once`,
        async () => {
          const page = await openShop(browser, cap.url('/shop/private'), { init });
          // The init script did its job: this page cannot open a database.
          expect(
            await page.eval(() => {
              try {
                return !window.indexedDB.open('probe');
              } catch {
                return true;
              }
            }),
          ).toBe(true);
          await trackBurst(page, 'mem_live', 20);
          await kick(page);
          await trackThenLeave(page, 'mem_leave', 30, cap.url('/shop/private-next'));
          const keys = [
            ...tracked('mem_live', 20),
            ...tracked('mem_leave', 30),
            ...views('/shop/private', '/shop/private-next'),
            ...leaves('/shop/private'),
          ];
          await expectAll(`7 no IndexedDB (${how})`, cap, keys, 20_000);
        },
      );
    }
  });
}
