// One definition of a valid event, end to end: the built script tag in each engine, the demo shop served by
// the real reference collector (DuckDB in a temporary directory). What a developer writes arrives as written:
// a type with spaces, a 200-character user_id; and a type the collector would refuse arrives cut, not lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage } from '../../examples/collector/lib/storage/index.js';
import { createCollector } from '../../examples/collector/lib/collector.js';
import { DIST, requireBundle } from './capture.mjs';
import { ENGINES, flush, waitFor } from './engines/index.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

for (const engine of ENGINES) {
  describe(`${engine.name}: tracker and collector agree on a valid event`, () => {
    let dir, collector, base, browser;
    beforeAll(async () => {
      requireBundle();
      dir = mkdtempSync(join(tmpdir(), 'journey-valid-'));
      collector = createCollector({ storage: await createStorage({ JOURNEY_DATA: dir }), distDir: DIST });
      base = `http://127.0.0.1:${await collector.listen(0)}`;
      browser = await engine.launch();
    });
    afterAll(async () => {
      await browser?.close();
      await engine.stop?.();
      await collector?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("stores track('Add to cart'), a 200-character user_id, and a 5,000-character type cut to 100", async () => {
      const page = await browser.newPage();
      await page.goto(`${base}/shop/`);
      await waitFor(page, () => typeof window.journey?.flush === 'function', undefined, { what: 'the bundle' });
      await page.eval(() => {
        window.journey.identify('u'.repeat(200));
        window.journey.track('Add to cart', { value: 19.9, currency: 'EUR' });
        window.journey.track('Z'.repeat(5000));
      });
      await flush(page);
      const end = Date.now() + 15_000;
      let rows = [];
      while (Date.now() < end) {
        rows = await collector.storage.query(
          "SELECT type, user_id, value FROM events WHERE type = 'Add to cart' OR type LIKE 'ZZZ%' ORDER BY time, id",
        );
        if (rows.length >= 2) break;
        await sleep(100);
      }
      expect(rows).toEqual([
        { type: 'Add to cart', user_id: 'u'.repeat(200), value: 19.9 },
        { type: 'Z'.repeat(100), user_id: 'u'.repeat(200), value: null },
      ]);
      const health = await (await fetch(`${base}/healthz`)).json();
      expect(health.refused).toEqual({});
    });
  });
}
