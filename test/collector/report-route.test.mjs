// The report routes as a shop owner meets them: errors inside the page with the form kept, a site waiting
// for its first event, presets as links, CSV downloads, time zones; and never a script (a CSP without
// scripts is coming).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollector } from '../../examples/collector/lib/collector.js';
import { checkBatch } from '../../examples/collector/lib/validate.js';
import { event, tempStorage } from './helpers.mjs';

const DAY = 86_400_000;
const today = new Date(Math.floor(Date.now() / DAY) * DAY).toISOString().slice(0, 10);

describe('report routes', () => {
  let ctx;
  let collector;
  let base;
  beforeAll(async () => {
    ctx = await tempStorage();
    const t = Date.now() - 60_000;
    const events = [
      event({ visitor_id: 'v1', session_id: 's1', time: t - 2000, type: 'page_view' }),
      event({
        visitor_id: 'v1',
        session_id: 's1',
        time: t - 1000,
        type: 'purchase',
        stage: 'conversion',
        props: { transaction_id: 'X1', value: 12.5, currency: 'EUR' },
      }),
      event({
        visitor_id: 'v2',
        session_id: 's2',
        time: t,
        type: 'page_view',
        props: { utm_campaign: 'a,"quoted" one', utm_medium: 'email' },
      }),
    ];
    await ctx.storage.insert(checkBatch({ v: 1, site: 'shop', events }, Date.now()).rows);
    collector = createCollector({ storage: ctx.storage, zones: { shop: 'UTC', tokyo: 'Asia/Tokyo' } });
    base = `http://127.0.0.1:${await collector.listen(0)}`;
  });
  afterAll(async () => {
    await collector?.close();
    await ctx?.done();
  });
  const get = (path) => fetch(base + path);

  it('a from-date after the to-date: the error inside the page, with the form and what was asked kept', async () => {
    const r = await get('/report?site=shop&from=2026-02-10&to=2026-02-01');
    expect(r.status).toBe(400);
    const html = await r.text();
    expect(html).toContain('role="alert"');
    expect(html).toMatch(/from \(2026-02-10\) is after to \(2026-02-01\)/);
    expect(html).toContain('<form method="get" action="/report">');
    expect(html).toContain('value="2026-02-10"');
    expect(html).toContain('value="2026-02-01"');
  });

  it('an unknown time zone is an error in the page and a 400 from the API', async () => {
    const page = await get('/report?site=shop&tz=Mars/Olympus');
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('unknown time zone');
    expect((await get('/api/report?site=shop&tz=Mars/Olympus')).status).toBe(400);
  });

  it('a site with no event at all: the install snippet, the sites that have events, waiting for the first event', async () => {
    const html = await (await get('/report?site=new-shop')).text();
    expect(html).toContain('Waiting for the first event');
    expect(html).toContain('data-site=&#34;new-shop&#34;');
    expect(html).toContain(`data-endpoint=&#34;${base}/collect&#34;`);
    expect(html).toContain('href="/report?site=shop"');
  });

  it('presets are plain links, the page has no script, and counts have their grammar', async () => {
    const html = await (await get('/report?site=shop')).text();
    for (const label of ['Today', '7 days', '30 days', 'This month', 'Last month'])
      expect(html).toMatch(
        new RegExp(`<a href="/report\\?site=shop&amp;from=\\d{4}-\\d\\d-\\d\\d&amp;to=\\d{4}-\\d\\d-\\d\\d"[^>]*>${label}</a>`),
      );
    expect(html).toContain(`from=${today}&amp;to=${today}"`);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('1 order');
    expect(html).toContain('€12.50');
    expect(html).toContain('2 visitors');
  });

  it('CSV of a table, quoted where needed; an unknown table is a 400', async () => {
    const r = await get('/api/report?site=shop&format=csv&table=campaigns');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(r.headers.get('content-disposition')).toMatch(
      /^attachment; filename="shop-campaigns-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.csv"$/,
    );
    expect(await r.text()).toBe('campaign,sessions,converted,rate\r\n"a,""quoted"" one",1,0,0\r\n');
    const funnel = await (await get('/api/report?site=shop&format=csv&table=funnel')).text();
    expect(funnel.split('\r\n')[0]).toBe('step,visitors,of_previous,entrants');
    expect(funnel).toContain('purchased,0,,1');
    expect((await get('/api/report?site=shop&format=csv&table=nope')).status).toBe(400);
    // Every table the page shows has its CSV link, and every link answers.
    const html = await (await get('/report?site=shop')).text();
    const links = [...html.matchAll(/href="(\/api\/report\?[^"]*format=csv[^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
    expect(links.map((l) => new URL(l, base).searchParams.get('table')).sort()).toEqual([
      'browsers',
      'campaigns',
      'checkout',
      'clv',
      'countries',
      'devices',
      'engaged',
      'exit',
      'funnel',
      'landing',
      'lcp_conversion',
      'nps',
      'os',
      'products',
      'referrals',
      'referrers',
      'revenue',
      'sources',
      'stages_now',
      'timeline',
      'transitions',
      'vitals',
    ]);
    for (const l of links) expect((await get(l)).status).toBe(200);
  });

  it('the time zone: ?tz= and per site, and the API says which', async () => {
    expect((await (await get('/api/report?site=tokyo')).json()).tz).toBe('Asia/Tokyo');
    expect((await (await get('/api/report?site=shop&tz=America/New_York')).json()).tz).toBe('America/New_York');
  });
});
