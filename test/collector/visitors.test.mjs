import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createCollector } from '../../examples/collector/lib/collector.js';
import { createAgentParser } from '../../examples/collector/lib/user-agent.js';
import { createCountryLookup } from '../../examples/collector/lib/country.js';
import { createStorage } from '../../examples/collector/lib/storage/index.js';
import { COLUMNS } from '../../examples/collector/lib/storage/schema.js';
import { checkBatch } from '../../examples/collector/lib/validate.js';
import { buildReport } from '../../examples/collector/lib/metrics.js';
import { batch, clickhouse, describeEngine, engines, event, tempStorage } from './helpers.mjs';
import { UA } from './agents.mjs';

describe('user agents', () => {
  const parse = createAgentParser();
  it.each([
    ['chrome', 'desktop', 'Chrome', 'Windows'],
    ['safariIos', 'mobile', 'Safari', 'iOS'],
    ['ipad', 'tablet', 'Safari', 'iOS'],
    ['firefoxAndroid', 'mobile', 'Firefox', 'Android'],
    ['samsung', 'mobile', 'Samsung Internet', 'Android'],
    ['instagram', 'mobile', 'Instagram', 'iOS'],
    ['facebookAndroid', 'mobile', 'Facebook', 'Android'],
    ['macSafari', 'desktop', 'Safari', 'macOS'],
  ])('%s: a %s, %s on %s, no bot', (name, device, browser, os) => {
    expect(parse(UA[/** @type {keyof typeof UA} */ (name)])).toEqual({ device, browser, os, bot: false });
  });

  it.each(['googlebot', 'googlebotSmartphone', 'bingbot', 'headless', 'lighthouse'])('%s is a bot', (name) => {
    expect(parse(UA[/** @type {keyof typeof UA} */ (name)]).bot).toBe(true);
  });

  it('keeps a server sending events with an HTTP library (no browser agent), as unknown', () => {
    for (const ua of ['node', 'curl/8.5.0', 'python-requests/2.31', '', undefined])
      expect(parse(ua)).toEqual({ device: null, browser: null, os: null, bot: false });
  });
});

describe('countries from the bundled database', () => {
  const lookup = createCountryLookup();
  it.each([
    ['8.8.8.8', 'US'],
    ['81.2.69.142', 'GB'],
    ['193.99.144.80', 'DE'],
    ['133.242.0.1', 'JP'],
    ['177.71.128.1', 'BR'],
    ['2a00:1450:4001:82a::200e', 'DE'],
  ])('%s is in %s', (ip, country) => expect(lookup(ip)).toBe(country));

  it.each(['127.0.0.1', '::1', '10.1.2.3', 'not an ip'])('%s has none', (ip) => expect(lookup(ip)).toBeNull());
});

const suite = (engine) => {
  /** @type {Awaited<ReturnType<typeof tempStorage>>} */
  let ctx;
  /** @type {Record<string, ReturnType<typeof createCollector>>} */
  const collectors = {};
  /** @type {Record<string, string>} */
  const base = {};
  beforeAll(async () => {
    ctx = await tempStorage(engine);
    for (const [name, trustProxy] of [
      ['trusting', 'loopback'],
      ['direct', undefined],
    ]) {
      // Two collectors, one store: the second one must not close it.
      collectors[name] = createCollector({ storage: { ...ctx.storage, close: async () => {} }, trustProxy });
      base[name] = `http://127.0.0.1:${await collectors[name].listen(0)}`;
    }
  });
  afterAll(async () => {
    for (const c of Object.values(collectors)) await c.close();
    await ctx?.done();
  });

  /** @param {string} to @param {string} site @param {Record<string, string>} headers @param {object[]} [events] */
  const post = (to, site, headers, events = [event()]) =>
    fetch(`${base[to]}/collect`, { method: 'POST', body: JSON.stringify(batch(events, { site })), headers });
  /** @param {string} site */
  const stored = async (site) => {
    await new Promise((r) => setTimeout(r, 0));
    return ctx.storage.query(
      `SELECT device, browser, os, country, source, path, referrer_host FROM events WHERE site = ${engine.name === 'duckdb' ? '$site' : '{site}'} ORDER BY type`,
      { site },
    );
  };

  it('stores device, browser, OS and country on each row, never the address or the user agent', async () => {
    const r = await post('trusting', 'who', { 'user-agent': UA.samsung, 'x-forwarded-for': '81.2.69.142' }, [
      event({ url: 'https://shop.example/products/tee?utm_source=newsletter', referrer: 'https://www.google.com/' }),
      event({ type: 'view_item', url: 'https://shop.example/products/tee' }),
    ]);
    expect(r.status).toBe(200);
    const rows = await stored('who');
    expect(rows).toEqual([
      {
        device: 'mobile',
        browser: 'Samsung Internet',
        os: 'Android',
        country: 'GB',
        source: 'email',
        path: '/products/tee',
        referrer_host: 'google.com',
      },
      {
        device: 'mobile',
        browser: 'Samsung Internet',
        os: 'Android',
        country: 'GB',
        source: null,
        path: null,
        referrer_host: null,
      },
    ]);
    const columns = COLUMNS.map(([n]) => n);
    expect(columns).not.toContain('ip');
    expect(columns).not.toContain('user_agent');
  });

  it("takes a trusted proxy's country header over the lookup", async () => {
    await post('trusting', 'cdn', { 'user-agent': UA.chrome, 'x-forwarded-for': '81.2.69.142', 'cf-ipcountry': 'fr' });
    expect((await stored('cdn')).map((r) => r.country)).toEqual(['FR']);
  });

  it('ignores a country header from a client that is not a trusted proxy', async () => {
    await post('direct', 'spoof', { 'user-agent': UA.chrome, 'x-forwarded-for': '81.2.69.142', 'cf-ipcountry': 'FR' });
    // The peer (loopback) is the client here: no country, and neither the header's nor the forwarded address's.
    expect((await stored('spoof')).map((r) => r.country)).toEqual([null]);
  });

  it('prefers its own source to one the event carries', async () => {
    await post('direct', 'own-source', { 'user-agent': UA.chrome }, [
      event({ props: { source: 'paid' }, referrer: 'https://duckduckgo.com/' }),
    ]);
    expect((await stored('own-source')).map((r) => r.source)).toEqual(['search']);
  });

  it.each(['googlebot', 'bingbot', 'headless', 'lighthouse'])('drops the events of %s and counts them', async (name) => {
    const site = `bot-${name}`;
    const r = await post('direct', site, { 'user-agent': UA[/** @type {keyof typeof UA} */ (name)] }, [
      event(),
      event({ type: 'purchase', props: { value: 10, currency: 'EUR', transaction_id: 'T1' } }),
    ]);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ ok: true, events: 0, bots: 2 });
    expect(await stored(site)).toEqual([]);
  });
};

for (const engine of await engines()) describeEngine(engine, 'visitors at ingest', () => suite(engine));

describe('a DuckDB file made before the visitor columns', () => {
  let dir;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('gains them, empty on its old rows', async () => {
    dir = mkdtempSync(join(tmpdir(), 'journey-old-'));
    const old = COLUMNS.slice(
      0,
      COLUMNS.findIndex(([n]) => n === 'device'),
    );
    const types = { id: 'UHUGEINT', text: 'VARCHAR', ms: 'BIGINT', int8: 'UTINYINT', num: 'DOUBLE', bool: 'BOOLEAN' };
    const db = await DuckDBInstance.create(join(dir, 'journey.duckdb'));
    const c = await db.connect();
    await c.run(`CREATE TABLE events (${old.map(([n, k]) => `"${n}" ${types[k]}`).join(', ')}, PRIMARY KEY (site, id))`);
    await c.run(`INSERT INTO events (id, site, time, received, type, visitor_id, session_id, stage, url, page_type, referrer, title, props, truncated)
      VALUES (1, 'old', 1, 1, 'page_view', 'v', 's', 0, 'https://x/', 'home', '', '', '{}', false)`);
    c.closeSync();
    db.closeSync();
    const storage = await createStorage({ JOURNEY_DATA: dir });
    try {
      expect(await storage.query("SELECT device, browser, os, country, path FROM events WHERE site = 'old'")).toEqual([
        { device: null, browser: null, os: null, country: null, path: null },
      ]);
    } finally {
      await storage.close();
    }
  });
});

const ch = await clickhouse();
describe.skipIf(!ch)('a ClickHouse table made before the visitor columns', () => {
  it('gains them, empty on its old rows, shown as unknown', async () => {
    const db = await tempStorage({ name: 'clickhouse', url: ch.url });
    try {
      const now = Date.now();
      await db.storage.insert(checkBatch({ v: 1, site: 'old', events: [event({ time: now - 1000 })] }, now).rows);
      const added = COLUMNS.slice(COLUMNS.findIndex(([n]) => n === 'device')).map(([n]) => n);
      for (const n of added) {
        const r = await fetch(`${ch.url}/?database=${db.env().JOURNEY_DB.split('/').pop()}`, {
          method: 'POST',
          body: `ALTER TABLE events DROP COLUMN ${n}`,
        });
        expect(r.status).toBe(200);
      }
      const again = await db.open();
      try {
        expect(
          await again.query("SELECT device, browser, os, country, path, referrer_host FROM events WHERE site = 'old'"),
        ).toEqual([{ device: null, browser: null, os: null, country: null, path: null, referrer_host: null }]);
        const r = await buildReport(again, { site: 'old', from: now - 86_400_000, to: now + 86_400_000, now });
        expect(r.devices.map((/** @type {any} */ d) => [d.name, d.sessions])).toEqual([['', 1]]);
      } finally {
        await again.close();
      }
    } finally {
      await db.done();
    }
  });
});
