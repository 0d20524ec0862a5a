// Issue 17, access: who may read reports and erase, behind any proxy, under any Host name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollector } from '../../examples/collector/lib/collector.js';
import { batch, event, tempStorage } from './helpers.mjs';
import { send, startProxy } from './http.mjs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../examples/collector/report-cli.js', import.meta.url));

const TOKEN = 'test-token-0123456789abcdef-0123456789';

let ctx;
const started = [];
/** A collector on a store of its own, and its base URL. */
const start = async (opts = {}) => {
  const c = createCollector({ storage: await ctx.open(`c${started.length}`), ...opts });
  started.push(c);
  const base = `http://127.0.0.1:${await c.listen(0)}`;
  // Every test reads a report of a site with one event.
  await send(base, '/collect', { method: 'POST', body: JSON.stringify(batch([event()], { site: 'shop-a' })) });
  await send(base, '/collect', {
    method: 'POST',
    body: JSON.stringify(batch([event({ visitor_id: 'vb' })], { site: 'shop-b' })),
  });
  return base;
};
const proxies = [];
const proxy = async (base, opts) => {
  const p = await startProxy(base, opts);
  proxies.push(p);
  return p.base;
};

beforeAll(async () => {
  ctx = await tempStorage();
});
afterAll(async () => {
  for (const p of proxies) await p.close();
  for (const c of started) await c.close();
  await ctx?.done();
});

describe('without a token', () => {
  let base;
  beforeAll(async () => {
    base = await start();
  });

  it('report routes answer direct loopback clients', async () => {
    expect((await send(base, '/api/report?site=shop-a')).status).toBe(200);
    expect((await send(base, '/report?site=shop-a')).status).toBe(200);
  });

  it('refuses report, API and erasure routes through a proxy, saying how to set a token; ingest still works', async () => {
    const via = await proxy(base);
    for (const [path, method] of [
      ['/report?site=shop-a', 'GET'],
      ['/api/report?site=shop-a', 'GET'],
      ['/api/sites', 'GET'],
      ['/api/visitor?site=shop-a&id=v1', 'DELETE'],
    ]) {
      const r = await send(via, path, { method });
      expect(r.status).toBe(401);
      expect(JSON.parse(r.text).error).toContain('set JOURNEY_TOKEN');
    }
    expect(
      (await send(via, '/collect', { method: 'POST', body: JSON.stringify(batch([event()], { site: 'shop-a' })) })).status,
    ).toBe(200);
  });

  it('refuses a foreign Host on private routes (DNS rebinding); loopback names and configured hosts are served', async () => {
    const r = await send(base, '/api/report?site=shop-a', { headers: { host: 'rebind.attacker.example' } });
    expect(r.status).toBe(401);
    expect(JSON.parse(r.text).error).toContain('JOURNEY_TOKEN');
    expect((await send(base, '/login', { headers: { host: 'rebind.attacker.example' } })).status).toBe(421);
    // Ingest is public by design: a beacon is never refused for the name it was sent to.
    expect(
      (
        await send(base, '/collect', {
          method: 'POST',
          headers: { host: 'rebind.attacker.example' },
          body: JSON.stringify(batch([event()], { site: 'shop-a' })),
        })
      ).status,
    ).toBe(200);
    expect((await send(base, '/api/report?site=shop-a', { headers: { host: 'localhost:8787' } })).status).toBe(200);
    const named = await start({ hosts: ['analytics.test'] });
    expect((await send(named, '/api/report?site=shop-a', { headers: { host: 'analytics.test:8787' } })).status).toBe(200);
    expect((await send(named, '/api/report?site=shop-a', { headers: { host: 'other.test' } })).status).toBe(401);
  });

  it('refuses to start on another address, or with a short token', () => {
    expect(() => createCollector({ storage: ctx.storage, host: '0.0.0.0' })).toThrow(/needs JOURNEY_TOKEN/);
    expect(() => createCollector({ storage: ctx.storage, token: 'short-token' })).toThrow(/at least 32/);
    expect(() => createCollector({ storage: ctx.storage, hosts: ['*'] })).toThrow(/JOURNEY_TOKEN/);
  });
});

describe('with a token', () => {
  let base;
  let via;
  beforeAll(async () => {
    base = await start({ token: TOKEN, hosts: ['collect.test'], trustProxy: 'loopback' });
    via = await proxy(base, { proto: 'https' });
  });
  const bearer = { authorization: `Bearer ${TOKEN}` };

  it('is required on loopback too; Bearer opens API and erasure, directly and through a proxy', async () => {
    expect((await send(base, '/api/report?site=shop-a')).status).toBe(401);
    expect((await send(base, '/api/visitor?site=shop-a&id=nobody', { method: 'DELETE' })).status).toBe(401);
    expect((await send(base, '/api/report?site=shop-a', { headers: bearer })).status).toBe(200);
    expect((await send(via, '/api/report?site=shop-a', { headers: bearer })).status).toBe(200);
    expect((await send(via, '/api/report?site=shop-a', { headers: { authorization: `Bearer ${TOKEN}x` } })).status).toBe(401);
    expect((await send(via, '/api/visitor?site=shop-a&id=nobody', { method: 'DELETE', headers: bearer })).status).toBe(200);
  });

  it('sends a browser without a session to the login form, and never takes the token from the URL', async () => {
    const r = await send(base, '/report?site=shop-a');
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe(`/login?${new URLSearchParams({ next: '/report?site=shop-a' })}`);
    const old = await send(base, `/report?site=shop-a&token=${TOKEN}`);
    expect(old.status).toBe(303);
    expect(old.headers.location).not.toContain(TOKEN);
    expect((await send(base, `/api/report?site=shop-a&token=${TOKEN}`)).status).toBe(401);
  });

  it('login trades the token for an HttpOnly, SameSite=Strict cookie that opens the report', async () => {
    const form = await send(base, '/login?next=%2Freport%3Fsite%3Dshop-a');
    expect(form.status).toBe(200);
    expect(form.text).toContain('<form method="post" action="/login">');
    expect(form.text).not.toContain('<script');
    const wrong = await send(base, '/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'token=nope&next=%2Freport',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const ok = await send(base, '/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: TOKEN, next: '/report?site=shop-a' }).toString(),
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/report?site=shop-a');
    const cookie = ok.headers['set-cookie'][0];
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    // Plain HTTP on loopback: a Secure cookie would never come back.
    expect(cookie).not.toMatch(/Secure/);
    const page = await send(base, '/report?site=shop-a', { headers: { cookie: cookie.split(';')[0] } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('aria-label="Journey funnel"');
    // A forged or altered cookie opens nothing.
    const forged = cookie.split(';')[0].replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await send(base, '/api/report?site=shop-a', { headers: { cookie: forged } })).status).toBe(401);
    // An open redirect is refused: next stays on this collector.
    const away = await send(base, '/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: TOKEN, next: '//evil.example/' }).toString(),
    });
    expect(away.headers.location).toBe('/report');
  });

  it('login never redirects to another origin, whatever characters a browser strips from next', async () => {
    // Browsers remove tabs and newlines from a URL before parsing it: "/<tab>/evil.example/" is "//evil.example/".
    for (const next of ['/\t/evil.example/', '/\n/evil.example/', '/\\\t/evil.example/']) {
      const r = await send(base, '/login', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: TOKEN, next }).toString(),
      });
      expect(r.status).toBe(303);
      expect(new URL(r.headers.location, base).origin).toBe(base);
    }
  });

  it('marks the cookie Secure when a trusted proxy says the visitor used HTTPS', async () => {
    const ok = await send(via, '/login', {
      method: 'POST',
      headers: { host: 'collect.test', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: TOKEN }).toString(),
    });
    expect(ok.status).toBe(303);
    expect(ok.headers['set-cookie'][0]).toMatch(/; Secure/);
    const cookie = ok.headers['set-cookie'][0].split(';')[0];
    expect((await send(via, '/report?site=shop-a', { headers: { host: 'collect.test', cookie } })).status).toBe(200);
  });

  it('refuses Host names that are not configured, even with the token', async () => {
    expect((await send(via, '/api/report?site=shop-a', { headers: { host: 'rebind.attacker.example', ...bearer } })).status).toBe(
      421,
    );
    expect((await send(via, '/api/report?site=shop-a', { headers: { host: 'collect.test', ...bearer } })).status).toBe(200);
  });

  /** Log in as a browser would and open the site's report: the owner's way to a share link. */
  const signedInReport = async (site) => {
    const ok = await send(base, '/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${TOKEN}`,
    });
    return send(base, `/report?site=${site}`, { headers: { cookie: ok.headers['set-cookie'][0].split(';')[0] } });
  };

  it('the signed-in report offers a share link and a way to log out', async () => {
    const page = (await signedInReport('shop-a')).text;
    expect(page).toMatch(/<a href="\/report\?site=shop-a&#38;share=[\w-]+">share link<\/a>/);
    expect(page).toContain('action="/logout"');
  });

  it("a share link reads its own site's report and JSON, and nothing else", async () => {
    const key = /share=([\w-]+)">share link/.exec((await signedInReport('shop-a')).text)[1];
    const page = await send(via, `/report?site=shop-a&share=${key}`, { headers: { host: 'collect.test' } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Journey report · shop-a');
    expect(page.text).not.toContain('href="/report">all sites');
    // Its links keep the key, or the date form would lead a viewer back to the login page.
    expect(page.text).toContain(`<input type="hidden" name="share" value="${key}">`);
    const api = await send(via, `/api/report?site=shop-a&share=${key}`, { headers: { host: 'collect.test' } });
    expect(api.status).toBe(200);
    expect(JSON.parse(api.text).site).toBe('shop-a');
    // Another site with this site's key, the site list and erasure are all refused.
    expect((await send(via, `/api/report?site=shop-b&share=${key}`, { headers: { host: 'collect.test' } })).status).toBe(401);
    expect((await send(via, `/report?site=shop-a&share=${key}x`, { headers: { host: 'collect.test' } })).status).toBe(401);
    expect((await send(via, `/api/sites?site=shop-a&share=${key}`, { headers: { host: 'collect.test' } })).status).toBe(403);
    const erase = await send(via, `/api/visitor?site=shop-a&id=v1&share=${key}`, {
      method: 'DELETE',
      headers: { host: 'collect.test' },
    });
    expect(erase.status).toBe(403);
    expect((await send(base, '/api/report?site=shop-a', { headers: bearer })).text).toContain('"visitors":1');
  });

  it("a shared page's CSV and preset links keep its key, and open", async () => {
    const key = /share=([\w-]+)">share link/.exec((await signedInReport('shop-a')).text)[1];
    const page = await send(via, `/report?site=shop-a&share=${key}`, { headers: { host: 'collect.test' } });
    const links = [...page.text.matchAll(/href="(\/(?:api\/)?report\?[^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
    expect(links.length).toBeGreaterThan(10);
    for (const l of links) expect(new URLSearchParams(l.split('?')[1]).get('share')).toBe(key);
    const csv = await send(
      via,
      links.find((l) => l.includes('table=funnel')),
      { headers: { host: 'collect.test' } },
    );
    expect(csv.status).toBe(200);
    expect(csv.text.split('\r\n')[0]).toBe('step,visitors,of_previous,entrants');
  });

  it('npm run report -- --share prints the same link', async () => {
    const key = /share=([\w-]+)">share link/.exec((await signedInReport('shop-a')).text)[1];
    const cli = spawnSync(process.execPath, [CLI, '--site', 'shop-a', '--share', '--url', 'https://collect.test'], {
      env: { ...process.env, JOURNEY_TOKEN: TOKEN },
      encoding: 'utf8',
    });
    expect(cli.stdout.trim()).toBe(`https://collect.test/report?site=shop-a&share=${key}`);
  });

  it('limits wrong guesses per client: after the burst even the right token waits', async () => {
    const b = await start({ token: TOKEN, trustProxy: 'loopback', guesses: { perSecond: 0.001, burst: 3 } });
    const v = await proxy(b);
    const as = (ip, headers = {}) => ({ headers: { 'x-test-client': ip, ...headers } });
    for (let i = 0; i < 3; i++)
      expect((await send(v, '/api/report?site=shop-a', as('198.51.100.1', { authorization: `Bearer guess-${i}` }))).status).toBe(
        401,
      );
    const blocked = await send(v, '/api/report?site=shop-a', as('198.51.100.1', bearer));
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    const login = await send(v, '/login', {
      method: 'POST',
      headers: { 'x-test-client': '198.51.100.1', 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${TOKEN}`,
    });
    expect(login.status).toBe(429);
    // Another visitor is not held up by the first one's guesses.
    expect((await send(v, '/api/report?site=shop-a', as('198.51.100.2', bearer))).status).toBe(200);
  });
});

describe('security headers', () => {
  it('report, API, login and refusals carry CSP, nosniff, no-referrer and no-store', async () => {
    const base = await start({ token: TOKEN });
    const bearer = { authorization: `Bearer ${TOKEN}` };
    for (const r of [
      await send(base, '/report?site=shop-a', { headers: bearer }),
      await send(base, '/report', { headers: bearer }),
      await send(base, '/api/report?site=shop-a', { headers: bearer }),
      await send(base, '/api/sites'),
      await send(base, '/login'),
    ]) {
      expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(r.headers['content-security-policy']).toContain("default-src 'none'");
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      expect(r.headers['cache-control']).toBe('private, no-store');
    }
    expect((await send(base, '/collect', { method: 'POST', body: '{' })).headers['x-content-type-options']).toBe('nosniff');
  });
});
