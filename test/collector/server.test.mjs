import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollector } from '../../examples/collector/lib/collector.js';
import { batch, describeEngine, engines, event, tempStorage } from './helpers.mjs';

const suite = (engine) => {
  let ctx;
  let collector;
  let base;
  beforeAll(async () => {
    ctx = await tempStorage(engine);
    collector = createCollector({
      storage: ctx.storage,
      origins: { locked: ['https://locked.example'] },
      rate: { perSecond: 1, burst: 3 },
      limitLoopback: false,
    });
    base = `http://127.0.0.1:${await collector.listen(0)}`;
  });
  afterAll(async () => {
    await collector?.close();
    await ctx?.done();
  });

  const post = (body, headers = {}) =>
    fetch(`${base}/collect`, {
      method: 'POST',
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': 'text/plain;charset=UTF-8', ...headers },
    });
  const count = async (site) => (await (await fetch(`${base}/api/sites`)).json()).find((s) => s.site === site)?.events ?? 0;
  const healthy = async () => (await fetch(`${base}/healthz`)).status === 200;

  describe('POST /collect', () => {
    it('stores a text/plain beacon and answers 200 only once it is stored', async () => {
      const r = await post(batch([event(), event({ type: 'view_item' })], { site: 'store-a' }));
      expect(r.status).toBe(200);
      expect(await count('store-a')).toBe(2);
    });

    it('drops repeated event ids, within a batch and across batches', async () => {
      const e = event();
      expect((await post(batch([e, e], { site: 'store-b' }))).status).toBe(200);
      expect((await post(batch([e], { site: 'store-b' }))).status).toBe(200);
      expect(await count('store-b')).toBe(1);
    });

    it('answers 400 with a clear message for malformed JSON and wrong types', async () => {
      const bad = await post('{"v":1,"events":[');
      expect(bad.status).toBe(400);
      expect((await bad.json()).error).toBe('malformed JSON');
      const wrong = await post({ v: 1, site: 'my shop', events: [event()] });
      expect(wrong.status).toBe(400);
      expect((await wrong.json()).error).toContain('site:');
      expect(await healthy()).toBe(true);
    });

    it('answers 413 to a 10 MB body and stays up', async () => {
      const r = await post('x'.repeat(10_000_000));
      expect(r.status).toBe(413);
      expect(await healthy()).toBe(true);
    });

    it('answers 413 to a 10,000-event batch and stores none of it', async () => {
      const events = Array.from({ length: 10_000 }, () => event({ props: {}, title: '', url: '' }));
      const r = await post(batch(events, { site: 'store-big' }));
      expect(r.status).toBe(413);
      expect(await count('store-big')).toBe(0);
      expect(await healthy()).toBe(true);
    });

    it('accepts an unknown site on first sight', async () => {
      expect((await post(batch([event()], { site: 'brand-new.example' }))).status).toBe(200);
      expect(await count('brand-new.example')).toBe(1);
    });

    it('sends CORS headers to cross-origin requests and enforces an opt-in origin allow-list', async () => {
      const open = await post(batch([event()], { site: 'store-a' }), { origin: 'https://anywhere.example' });
      expect(open.status).toBe(200);
      expect(open.headers.get('access-control-allow-origin')).toBe('https://anywhere.example');
      expect((await post(batch([event()], { site: 'locked' }), { origin: 'https://evil.example' })).status).toBe(403);
      expect((await post(batch([event()], { site: 'locked' }), { origin: 'https://locked.example' })).status).toBe(200);
      // A site with an allow-list refuses a request with no Origin at all (a script, not a browser).
      expect((await post(batch([event()], { site: 'locked' }))).status).toBe(403);
      expect(await count('locked')).toBe(1);
    });

    it('corrects event times by sent_at when the browser clock is an hour ahead', async () => {
      const ahead = Date.now() + 3_600_000;
      await post(batch([event({ time: ahead - 60_000, visitor_id: 'skewed' })], { site: 'store-skew', sent_at: ahead }));
      const rows = await ctx.storage.query("SELECT time FROM events WHERE site = 'store-skew'");
      expect(Math.abs(rows[0].time - (Date.now() - 60_000))).toBeLessThan(30_000);
    });

    it('survives garbage bodies of every kind', async () => {
      for (const body of ['', 'null', '[]', '"x"', '{"v":1}', '\u0000\u00ff', '{"__proto__":{"v":1}}'])
        expect((await post(body)).status).toBe(400);
      expect(await healthy()).toBe(true);
    });
  });

  describe('report routes', () => {
    it('GET /api/report returns the metrics as JSON; a bad range is a 400', async () => {
      const r = await (await fetch(`${base}/api/report?site=store-a`)).json();
      expect(r.site).toBe('store-a');
      expect(r.totals.events).toBe(3);
      expect((await fetch(`${base}/api/report?site=store-a&from=2026-13-01`)).status).toBe(400);
    });

    it('GET /report renders the journey funnel; without a site it lists the sites', async () => {
      const page = await (await fetch(`${base}/report?site=store-a`)).text();
      expect(page).toContain('aria-label="Journey funnel"');
      const list = await (await fetch(`${base}/report`)).text();
      expect(list).toContain('report?site=store-a');
    });

    it('serves the demo shop with the script tag', async () => {
      const r = await fetch(`${base}/shop/`);
      expect(r.status).toBe(200);
      expect(await r.text()).toContain('<script async src="/journey.min.js" data-endpoint="/collect" data-site="demo-shop">');
      expect((await fetch(`${base}/shop/..%2F..%2Fpackage.json`)).status).toBe(404);
    });

    it('DELETE /api/visitor erases one visitor', async () => {
      await post(batch([event({ visitor_id: 'forget-me' }), event({ visitor_id: 'keep-me' })], { site: 'store-e' }));
      const r = await fetch(`${base}/api/visitor?site=store-e&id=forget-me`, { method: 'DELETE' });
      expect(await r.json()).toEqual({ erased: 1 });
      expect(await count('store-e')).toBe(1);
    });
  });

  describe('limits and shutdown', () => {
    it('rate-limits each client address (loopback too, when asked)', async () => {
      const storage = await ctx.open('rate');
      const c = createCollector({ storage, rate: { perSecond: 0.001, burst: 2 }, limitLoopback: true });
      const url = `http://127.0.0.1:${await c.listen(0)}/collect`;
      const statuses = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await fetch(url, { method: 'POST', body: JSON.stringify(batch([event()])) })).status);
      await c.close();
      expect(statuses).toEqual([200, 200, 429]);
    });

    it('on close, commits every batch it answered 200 and reopens with them', async () => {
      const c = createCollector({ storage: await ctx.open('close') });
      const url = `http://127.0.0.1:${await c.listen(0)}/collect`;
      const sends = Array.from({ length: 30 }, () =>
        fetch(url, { method: 'POST', body: JSON.stringify(batch([event(), event()])) }).then(
          (r) => r.status,
          () => 0,
        ),
      );
      await new Promise((r) => setTimeout(r, 5));
      await c.close();
      const statuses = await Promise.all(sends);
      const reopened = await ctx.open('close');
      const stored = await reopened.count();
      await reopened.close();
      expect(stored).toBe(statuses.filter((s) => s === 200).length * 2);
    });
  });
};

for (const engine of await engines()) describeEngine(engine, 'collector', () => suite(engine));
