// Issue 17, bounds: what many clients together may hold (body bytes, connections), rate limits that
// key on the visitor behind a trusted proxy only, and static files that stay inside their root.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCollector } from '../../examples/collector/lib/collector.js';
import { batch, event, tempStorage } from './helpers.mjs';
import { send, startProxy } from './http.mjs';

const TOKEN = 'test-token-0123456789abcdef-0123456789';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Repeat `fn` until `done(result)` or 100 tries; the last result either way. */
const until = async (fn, done) => {
  let r;
  for (let i = 0; i < 100; i++) {
    r = await fn();
    if (done(r)) break;
    await sleep(20);
  }
  return r;
};

let ctx;
const closers = [];
const start = async (opts = {}) => {
  const c = createCollector({ storage: await ctx.open(`l${closers.length}`), ...opts });
  closers.push(() => c.close());
  return `http://127.0.0.1:${await c.listen(0)}`;
};
const proxy = async (base) => {
  const p = await startProxy(base);
  closers.push(p.close);
  return p.base;
};
const beacon = (site = 'shop') => JSON.stringify(batch([event()], { site }));
const as = (ip, o = {}) => ({ ...o, headers: { 'x-test-client': ip, ...o.headers } });

beforeAll(async () => {
  ctx = await tempStorage();
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await ctx?.done();
});

describe('bounded resources', () => {
  it('answers 503 with Retry-After when the bodies in flight would pass the budget, and recovers', async () => {
    const base = await start({ bodyBudget: 1_000_000 });
    // A slow client: 900 kB announced, a few bytes sent, the connection held.
    const slow = request(new URL('/collect', base), { method: 'POST', agent: false, headers: { 'content-length': '900000' } });
    slow.on('error', () => {});
    slow.write('{"v":1,');
    const body = JSON.stringify(batch([event({ title: 'x'.repeat(500) })], { site: 'budget' })).padEnd(200_000, ' ');
    const busy = await until(
      () => send(base, '/collect', { method: 'POST', body }),
      (r) => r.status === 503,
    );
    expect(busy.status).toBe(503);
    expect(Number(busy.headers['retry-after'])).toBeGreaterThan(0);
    slow.destroy();
    expect(
      (
        await until(
          () => send(base, '/collect', { method: 'POST', body }),
          (r) => r.status !== 503,
        )
      ).status,
    ).toBe(200);
  });

  it('answers 503 with Retry-After over the connection cap, and recovers when connections close', async () => {
    const base = await start({ maxConnections: 2 });
    const { port } = new URL(base);
    const held = await Promise.all(
      [0, 1].map(
        () =>
          new Promise((r) => {
            const s = connect(Number(port), '127.0.0.1', () => r(s));
          }),
      ),
    );
    const busy = await until(
      () => send(base, '/collect', { method: 'POST', body: beacon() }),
      (r) => r.status === 503,
    );
    expect(busy.status).toBe(503);
    expect(Number(busy.headers['retry-after'])).toBeGreaterThan(0);
    for (const s of held) s.destroy();
    expect(
      (
        await until(
          () => send(base, '/collect', { method: 'POST', body: beacon() }),
          (r) => r.status !== 503,
        )
      ).status,
    ).toBe(200);
  });
});

describe('rate limits', () => {
  const rate = { perSecond: 0.001, burst: 2 };

  it('key on X-Forwarded-For from a trusted proxy: each visitor has a bucket of their own', async () => {
    const via = await proxy(await start({ rate, trustProxy: 'loopback' }));
    const post = (ip) => send(via, '/collect', as(ip, { method: 'POST', body: beacon() })).then((r) => r.status);
    expect([await post('198.51.100.1'), await post('198.51.100.1'), await post('198.51.100.1')]).toEqual([200, 200, 429]);
    expect(await post('198.51.100.2')).toBe(200);
  });

  it("ignore X-Forwarded-For from a proxy nobody configured: its visitors share the proxy's bucket", async () => {
    const base = await start({ rate });
    const via = await proxy(base);
    const post = (ip) => send(via, '/collect', as(ip, { method: 'POST', body: beacon() })).then((r) => r.status);
    expect([await post('198.51.100.1'), await post('198.51.100.2'), await post('198.51.100.3')]).toEqual([200, 200, 429]);
    // A client writing the header itself, straight to us, gains nothing either.
    const forged = (ip) =>
      send(base, '/collect', { method: 'POST', body: beacon(), headers: { 'x-forwarded-for': ip } }).then((r) => r.status);
    expect([await forged('192.0.2.1'), await forged('192.0.2.2'), await forged('192.0.2.3')]).toContain(429);
  });

  it('let a tracker on another origin read Retry-After: CORS exposes it', async () => {
    // Retry-After is not a CORS-safelisted header: unexposed, fetch reads null and the tracker retries in a second.
    const base = await start({ rate, limitLoopback: true });
    const post = () => send(base, '/collect', { method: 'POST', body: beacon(), headers: { origin: 'https://shop.example' } });
    const answers = [await post(), await post(), await post()];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 429]);
    const limited = answers[2];
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(1);
    expect(limited.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(
      String(limited.headers['access-control-expose-headers'])
        .toLowerCase()
        .split(/\s*,\s*/),
    ).toContain('retry-after');
  });

  it('count body bytes as well as requests', async () => {
    const via = await proxy(await start({ trustProxy: 'loopback', rateBytes: { perSecond: 0.001, burst: 5000 } }));
    const body = JSON.stringify(
      batch(
        Array.from({ length: 16 }, () => event()),
        { site: 'bytes' },
      ),
    );
    expect(body.length).toBeGreaterThan(2500);
    const post = () => send(via, '/collect', as('198.51.100.9', { method: 'POST', body })).then((r) => r.status);
    expect([await post(), await post()]).toEqual([200, 429]);
  });

  it('cover the report and login routes', async () => {
    const via = await proxy(await start({ rate, token: TOKEN, trustProxy: 'loopback' }));
    const bearer = { authorization: `Bearer ${TOKEN}` };
    const get = (path, ip) => send(via, path, as(ip, { headers: bearer }));
    expect((await get('/api/report?site=shop', '198.51.100.20')).status).toBe(200);
    expect((await get('/api/report?site=shop', '198.51.100.20')).status).toBe(200);
    const limited = await get('/api/report?site=shop', '198.51.100.20');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await get('/login', '198.51.100.21')).status).toBe(200);
    expect((await get('/login', '198.51.100.21')).status).toBe(200);
    expect((await get('/login', '198.51.100.21')).status).toBe(429);
  });
});

describe('static files', () => {
  it('refuses a symlink inside the shop folder that points out of it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'journey-static-'));
    closers.push(async () => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, 'shop'));
    mkdirSync(join(dir, 'secret'));
    writeFileSync(join(dir, 'shop', 'index.html'), '<h1>shop</h1>');
    writeFileSync(join(dir, 'secret', 'key.txt'), 'secret');
    symlinkSync(join(dir, 'secret', 'key.txt'), join(dir, 'shop', 'key.txt'));
    symlinkSync(join(dir, 'secret'), join(dir, 'shop', 'more'));
    // A link that stays inside is fine.
    symlinkSync(join(dir, 'shop', 'index.html'), join(dir, 'shop', 'home.html'));
    const base = await start({ shopDir: join(dir, 'shop') });
    expect((await send(base, '/shop/')).status).toBe(200);
    expect((await send(base, '/shop/home.html')).text).toBe('<h1>shop</h1>');
    expect((await send(base, '/shop/key.txt')).status).toBe(404);
    expect((await send(base, '/shop/more/key.txt')).status).toBe(404);
  });
});
