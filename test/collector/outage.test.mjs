// ClickHouse goes away in the middle of a load: the collector answers 503 with Retry-After, the
// tracker's retries land once it is back, and every event is counted exactly once.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCollector } from '../../examples/collector/lib/collector.js';
import { createClickHouseStorage } from '../../examples/collector/lib/storage/clickhouse.js';
import { createRandom, simulateVisitor } from '../../examples/collector/lib/journeys.js';
import { batch, clickhouses, describeClickHouse, event, tempStorage } from './helpers.mjs';

const SITE = 'outage-shop';
const DAY = 86_400_000;

/** @param {import('./clickhouse-server.mjs').ClickHouseServer} ch */
const outageSuite = (ch) => {
  let db;
  let collector;
  let base;
  beforeAll(async () => {
    db = await tempStorage({ name: 'clickhouse', url: ch.url });
    collector = createCollector({ storage: db.storage, writer: { delayMs: 5 } });
    base = `http://127.0.0.1:${await collector.listen(0)}`;
  });
  afterAll(async () => {
    await collector?.close();
    await db?.done();
  });

  it('answers 503 with Retry-After while it is down, stores everything after it returns, nothing twice', async () => {
    const rnd = createRandom(3);
    const now = Date.now() - 2 * DAY;
    const batches = [];
    for (let i = 0; i < 80; i++)
      batches.push(
        ...simulateVisitor({ base: 'https://shop.example', site: SITE, rnd, start: now - Math.floor(rnd() * 20 * DAY), now })
          .batches,
      );
    const total = batches.reduce((n, b) => n + b.length, 0);

    const seen = { ok: 0, unavailable: 0, retryAfter: new Set() };
    let next = 0;
    // A tracker: keeps each batch and sends it again after a 503 or a network error, never gives up.
    const sender = async () => {
      while (next < batches.length) {
        const events = batches[next++];
        for (;;) {
          const r = await fetch(`${base}/collect`, {
            method: 'POST',
            body: JSON.stringify({ v: 1, site: SITE, sent_at: Date.now(), events }),
          }).catch(() => undefined);
          await r?.arrayBuffer();
          if (r?.status === 200) break;
          expect(r?.status).toBe(503);
          seen.unavailable++;
          seen.retryAfter.add(r.headers.get('retry-after'));
          await new Promise((res) => setTimeout(res, 100));
        }
        seen.ok++;
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, sender));

    while (seen.ok < batches.length / 3) await new Promise((r) => setTimeout(r, 20));
    await ch.stop('SIGKILL');
    // Down: the load keeps coming and is refused, and the health check says so to a load balancer.
    while (seen.unavailable < 5) await new Promise((r) => setTimeout(r, 20));
    expect((await fetch(`${base}/healthz`)).status).toBe(503);
    const answeredWhileDown = seen.ok;
    await new Promise((r) => setTimeout(r, 500));
    expect(seen.ok).toBe(answeredWhileDown);
    await ch.start();
    await load;

    expect(seen.retryAfter).toEqual(new Set(['5']));
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await db.storage.count()).toBe(total);
    const report = await (await fetch(`${base}/api/report?site=${SITE}`)).json();
    expect(report.totals.events).toBe(total);
    expect(report.totals.visitors).toBe(80);
  }, 120_000);

  it('a stalled ClickHouse: 503 after the write timeout; the retry after it wakes counts once', async () => {
    const storage = await createClickHouseStorage({ url: `${db.env().JOURNEY_DB}_stall`, timeoutMs: 1000 });
    const c = createCollector({ storage, writer: { delayMs: 1 } });
    const url = `http://127.0.0.1:${await c.listen(0)}/collect`;
    const body = JSON.stringify(batch([event({ visitor_id: 'stalled' }), event({ visitor_id: 'stalled' })], { site: 'stall' }));
    process.kill(ch.pid, 'SIGSTOP');
    let status;
    try {
      status = (await fetch(url, { method: 'POST', body })).status;
    } finally {
      process.kill(ch.pid, 'SIGCONT');
    }
    expect(status).toBe(503);
    // The stalled insert may still land once the server wakes: the retry must not make it count twice.
    expect((await fetch(url, { method: 'POST', body })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(await storage.count()).toBe(2);
    await c.close();
  }, 60_000);
};

for (const server of await clickhouses()) describeClickHouse(server, 'ClickHouse stopped mid-load', outageSuite);
