import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkBatch } from '../../examples/collector/lib/validate.js';
import { buildReport } from '../../examples/collector/lib/metrics.js';
import { createAgentParser } from '../../examples/collector/lib/user-agent.js';
import { createCollector } from '../../examples/collector/lib/collector.js';
import { describeEngine, engines, event, tempStorage } from './helpers.mjs';
import { UA } from './agents.mjs';

// Twelve sessions of nine visitors in January 2026, each from one browser and country, arriving from a source
// and landing on a page; some buy. The filtered reports are compared with reports of a store holding only
// the segment's events.
const T = Date.UTC(2026, 0, 10, 12);
const NOW = Date.UTC(2026, 0, 20, 12);
const FROM = Date.UTC(2026, 0, 1);
const TO = Date.UTC(2026, 1, 1);
const DAY_MS = 86_400_000;
const U = 'https://shop.example';
const agent = createAgentParser();

/**
 * @typedef {{ visitor: string, session: string, ua: keyof typeof UA, country: string | null, arrive: { referrer?: string, props?: object },
 *   pages: string[], buy?: [value: number, currency: string], stage?: string }} Session
 */
/** @type {Session[]} */
const SESSIONS = [
  {
    visitor: 'a',
    session: 'a1',
    ua: 'chrome',
    country: 'DE',
    arrive: { referrer: 'https://www.google.com/' },
    pages: ['/', '/products/tee'],
    buy: [50, 'EUR'],
  },
  { visitor: 'a', session: 'a2', ua: 'chrome', country: 'DE', arrive: {}, pages: ['/cart'] },
  {
    visitor: 'b',
    session: 'b1',
    ua: 'safariIos',
    country: 'FR',
    arrive: { referrer: 'https://www.google.com/' },
    pages: ['/products/tee'],
  },
  {
    visitor: 'c',
    session: 'c1',
    ua: 'safariIos',
    country: 'FR',
    arrive: { referrer: 'https://l.instagram.com/', props: { utm_campaign: 'spring', utm_medium: 'social' } },
    pages: ['/products/cap', '/cart'],
    buy: [20, 'EUR'],
  },
  {
    visitor: 'd',
    session: 'd1',
    ua: 'samsung',
    country: 'US',
    arrive: { referrer: 'https://www.bing.com/' },
    pages: ['/', '/products/cap'],
    buy: [30, 'USD'],
  },
  { visitor: 'e', session: 'e1', ua: 'firefoxAndroid', country: null, arrive: { props: { ref: 'ALEX10' } }, pages: ['/'] },
  {
    visitor: 'f',
    session: 'f1',
    ua: 'instagram',
    country: 'GB',
    arrive: { referrer: 'https://l.instagram.com/' },
    pages: ['/products/tee', '/products/cap'],
    buy: [15, 'EUR'],
  },
  {
    visitor: 'g',
    session: 'g1',
    ua: 'ipad',
    country: 'DE',
    arrive: { props: { utm_medium: 'email', utm_campaign: 'news' } },
    pages: ['/'],
  },
  {
    visitor: 'g',
    session: 'g2',
    ua: 'ipad',
    country: 'DE',
    arrive: { referrer: 'https://www.google.com/' },
    pages: ['/products/tee'],
    buy: [70, 'EUR'],
  },
  {
    visitor: 'h',
    session: 'h1',
    ua: 'macSafari',
    country: 'DE',
    arrive: { referrer: 'https://news.example.org/a' },
    pages: ['/', '/about'],
  },
  {
    visitor: 'i',
    session: 'i1',
    ua: 'chrome',
    country: 'JP',
    arrive: { referrer: 'https://www.google.com/' },
    pages: ['/products/cap'],
  },
  { visitor: 'i', session: 'i2', ua: 'chrome', country: 'JP', arrive: {}, pages: ['/products/cap'], buy: [25, 'EUR'] },
];

/** The rows of sessions, each session in its own batch (its request's visitor columns). @param {Session[]} sessions */
const rowsOf = (sessions) =>
  sessions.flatMap((s, k) => {
    const { device, browser, os } = agent(UA[s.ua]);
    let t = T + k * 3_600_000;
    const events = s.pages.map((path, i) =>
      event({
        visitor_id: s.visitor,
        session_id: s.session,
        time: (t += 60_000),
        url: U + path,
        referrer: i ? U + s.pages[i - 1] : (s.arrive.referrer ?? ''),
        props: i ? {} : (s.arrive.props ?? {}),
        stage: s.buy ? 'conversion' : i ? 'consideration' : 'awareness',
      }),
    );
    if (s.buy) {
      events.splice(
        events.length - 1,
        0,
        event({
          visitor_id: s.visitor,
          session_id: s.session,
          time: (t += 60_000),
          type: 'add_to_cart',
          url: U + s.pages.at(-1),
          stage: 'conversion',
          props: { value: s.buy[0], currency: s.buy[1] },
        }),
      );
      events.push(
        event({
          visitor_id: s.visitor,
          session_id: s.session,
          time: (t += 60_000),
          type: 'purchase',
          url: `${U}/thank-you`,
          stage: 'retention',
          props: { transaction_id: `T-${s.session}`, value: s.buy[0], currency: s.buy[1] },
        }),
      );
    }
    return checkBatch({ v: 1, site: 'shop', sent_at: NOW, events }, NOW, { device, browser, os, country: s.country }).rows;
  });

/** A report without what differs between a store and its copy (timing, the filters asked). */
const comparable = (/** @type {any} */ r) => {
  const { query_ms: _, filters: __, ...rest } = r;
  return rest;
};

const suite = (engine) => {
  /** @type {Awaited<ReturnType<typeof tempStorage>>} */
  let ctx;
  /** @type {any} */
  let report;
  beforeAll(async () => {
    ctx = await tempStorage(engine);
    const rows = rowsOf(SESSIONS);
    await ctx.storage.insert(rows);
    await ctx.storage.insert(rows);
    if (engine.compact) await ctx.storage.compact('shop');
    report = await buildReport(ctx.storage, { site: 'shop', from: FROM, to: TO, now: NOW });
  });
  afterAll(() => ctx?.done());

  it('breaks sessions down by device, browser, OS and country, with orders, conversion and revenue', () => {
    expect(report.devices).toEqual([
      {
        name: 'desktop',
        visitors: 3,
        sessions: 5,
        orders: 2,
        converted: 2,
        rate: 0.4,
        revenue: [{ currency: 'EUR', revenue: 75 }],
      },
      {
        name: 'mobile',
        visitors: 5,
        sessions: 5,
        orders: 3,
        converted: 3,
        rate: 0.6,
        revenue: [
          { currency: 'EUR', revenue: 35 },
          { currency: 'USD', revenue: 30 },
        ],
      },
      {
        name: 'tablet',
        visitors: 1,
        sessions: 2,
        orders: 1,
        converted: 1,
        rate: 0.5,
        revenue: [{ currency: 'EUR', revenue: 70 }],
      },
    ]);
    expect(report.browsers.map((/** @type {any} */ b) => [b.name, b.sessions])).toEqual([
      ['Safari', 5],
      ['Chrome', 4],
      ['Firefox', 1],
      ['Instagram', 1],
      ['Samsung Internet', 1],
    ]);
    expect(report.os.map((/** @type {any} */ b) => [b.name, b.visitors])).toEqual([
      ['iOS', 4],
      ['Windows', 2],
      ['Android', 2],
      ['macOS', 1],
    ]);
    expect(report.countries.map((/** @type {any} */ c) => [c.name, c.sessions, c.orders])).toEqual([
      ['DE', 5, 2],
      ['FR', 2, 1],
      ['JP', 2, 1],
      ['', 1, 0],
      ['GB', 1, 1],
      ['US', 1, 1],
    ]);
  });

  it('names landing pages, exit pages and referring sites', () => {
    expect(report.landing.map((/** @type {any} */ x) => [x.name, x.sessions, x.converted])).toEqual([
      ['/', 5, 2],
      ['/products/cap', 3, 2],
      ['/products/tee', 3, 2],
      ['/cart', 1, 0],
    ]);
    expect(report.exit.map((/** @type {any} */ x) => [x.name, x.sessions])).toEqual([
      ['/products/cap', 4],
      ['/products/tee', 3],
      ['/', 2],
      ['/cart', 2],
      ['/about', 1],
    ]);
    expect(report.referrers.map((/** @type {any} */ x) => [x.name, x.sessions])).toEqual([
      ['', 4],
      ['google.com', 4],
      ['l.instagram.com', 2],
      ['bing.com', 1],
      ['news.example.org', 1],
    ]);
  });

  // The rollups count each breakdown row's visitors by a 64-bit hash of the id; the funnel counts the range's
  // visitors both ways, and a difference makes the report count them by their ids.
  if (engine.compact)
    it("counts the breakdowns' visitors by their ids when two of them share a key", async () => {
      const colliding = {
        ...ctx.storage,
        prepare: async (/** @type {any} */ q) => {
          const d = await ctx.storage.prepare?.(q);
          expect(d?.visitorKey?.('v')).toBe('sipHash64(v)');
          return { ...d, visitorKey: () => 'toUInt64(0)' };
        },
      };
      const shared = await buildReport(colliding, { site: 'shop', from: FROM, to: TO, now: NOW });
      expect(comparable(shared)).toEqual(comparable(report));
      expect(shared.devices.map((/** @type {any} */ d) => d.visitors)).toEqual([3, 5, 1]);
    });

  /** The sessions each filter keeps, by what the data set says of them. */
  const SEGMENTS = [
    [{ device: 'mobile' }, (/** @type {Session} */ s) => ['safariIos', 'samsung', 'firefoxAndroid', 'instagram'].includes(s.ua)],
    [{ source: 'search' }, (/** @type {Session} */ s) => /google|bing/.test(s.arrive.referrer ?? '') && !s.arrive.props],
    [{ country: 'unknown' }, (/** @type {Session} */ s) => s.country === null],
    [{ landing: '/products/cap' }, (/** @type {Session} */ s) => s.pages[0] === '/products/cap'],
    [
      { device: 'desktop', source: 'search' },
      (/** @type {Session} */ s) => ['chrome', 'macSafari'].includes(s.ua) && /google|bing/.test(s.arrive.referrer ?? ''),
    ],
    [{ browser: 'Safari', campaign: 'spring' }, (/** @type {Session} */ s) => s.session === 'c1'],
    [
      { os: 'iOS', stage: 'retention' },
      (/** @type {Session} */ s) => ['safariIos', 'ipad', 'instagram'].includes(s.ua) && ['c', 'f', 'g'].includes(s.visitor),
    ],
    [{ ref: 'ALEX10' }, (/** @type {Session} */ s) => s.session === 'e1'],
    [{ exit: '/products/cap', referrer: 'google.com' }, (/** @type {Session} */ s) => s.session === 'i1'],
  ];

  it.each(SEGMENTS)('a report filtered on %j equals the report of a store holding only that segment', async (filters, keep) => {
    const only = await tempStorage(engine);
    try {
      const kept = SESSIONS.filter(keep);
      expect(kept.length).toBeGreaterThan(0);
      await only.storage.insert(rowsOf(SESSIONS).filter((r) => kept.some((s) => s.session === r.session_id)));
      const segment = await buildReport(only.storage, { site: 'shop', from: FROM, to: TO, now: NOW });
      const filtered = await buildReport(ctx.storage, { site: 'shop', from: FROM, to: TO, now: NOW, filters });
      expect(filtered.filters).toEqual(filters);
      expect(comparable(filtered)).toEqual(comparable(segment));
      expect(filtered.totals.visitors).toBeLessThan(report.totals.visitors);
    } finally {
      await only.done();
    }
  });
};

const all = await engines();
// Each ClickHouse version twice: reading the events, and with the finished days' rollups built.
const withRollups = [...all, ...all.filter((e) => e.name === 'clickhouse').map((e) => ({ ...e, compact: true }))];
for (const engine of withRollups)
  describeEngine(engine, `visitor breakdowns and filters${engine.compact ? ' (rollups built)' : ''}`, () => suite(engine));

// Sessions that cross midnight, one with a page view stored after the rollups were built: the breakdowns combine
// each session's days (and, with rollups, the rolled-up day with the day read from the events). Filters keep
// whole sessions.
for (const engine of withRollups)
  describeEngine(engine, `breakdowns and filters of whole sessions${engine.compact ? ' (rollups built)' : ''}`, () => {
    it('take the first landing page, the last exit page and the orders of each session', async () => {
      const ctx = await tempStorage(engine);
      try {
        const midnight = Date.UTC(2026, 0, 11);
        const { device, browser, os } = agent(UA.chrome);
        const batch = (/** @type {any[]} */ events, /** @type {any} */ ua = { device, browser, os, country: 'DE' }) =>
          checkBatch({ v: 1, site: 'shop', sent_at: NOW, events }, NOW, ua).rows;
        const x = { visitor_id: 'x', session_id: 'x1' };
        await ctx.storage.insert(
          batch([
            event({ ...x, time: midnight - 600_000, url: `${U}/a`, referrer: 'https://www.google.com/' }),
            event({ ...x, time: midnight + 600_000, url: `${U}/b`, referrer: `${U}/a` }),
            event({
              ...x,
              time: midnight + 900_000,
              type: 'purchase',
              url: `${U}/thank-you`,
              props: { transaction_id: 'T-x1', value: 40, currency: 'EUR' },
            }),
          ]),
        );
        const mobile = agent(UA.safariIos);
        await ctx.storage.insert(
          batch([event({ visitor_id: 'y', session_id: 'y1', time: midnight + DAY_MS, url: `${U}/c` })], {
            ...mobile,
            country: 'FR',
          }),
        );
        if (engine.compact) expect(await ctx.storage.compact('shop')).toBe(3);
        await ctx.storage.insert(batch([event({ ...x, time: midnight + 1_200_000, url: `${U}/c`, referrer: `${U}/b` })]));
        const r = await buildReport(ctx.storage, { site: 'shop', from: FROM, to: TO, now: NOW });
        const rows = (/** @type {any[]} */ t) => t.map((x) => [x.name, x.sessions, x.converted, x.orders]);
        expect(rows(r.landing)).toEqual([
          ['/a', 1, 1, 1],
          ['/c', 1, 0, 0],
        ]);
        expect(rows(r.exit)).toEqual([['/c', 2, 1, 1]]);
        expect(rows(r.referrers)).toEqual([
          ['', 1, 0, 0],
          ['google.com', 1, 1, 1],
        ]);
        expect(r.devices.map((/** @type {any} */ x) => [x.name, x.visitors, x.revenue])).toEqual([
          ['desktop', 1, [{ currency: 'EUR', revenue: 40 }]],
          ['mobile', 1, []],
        ]);
      } finally {
        await ctx.done();
      }
    });

    it('filter whole sessions by their country as the breakdown gives it, though an event has another', async () => {
      const ctx = await tempStorage(engine);
      try {
        const ua = agent(UA.chrome);
        const at = (/** @type {string} */ country, /** @type {any[]} */ events) =>
          ctx.storage.insert(checkBatch({ v: 1, site: 'shop', sent_at: NOW, events }, NOW, { ...ua, country }).rows);
        // A visitor whose network changed mid-session: the session's country is the smallest, DE.
        await at('DE', [event({ visitor_id: 'z', session_id: 'z1', time: T, url: `${U}/a` })]);
        await at('FR', [event({ visitor_id: 'z', session_id: 'z1', time: T + 60_000, url: `${U}/b` })]);
        await at('FR', [event({ visitor_id: 'w', session_id: 'w1', time: T + 7_200_000, url: `${U}/c` })]);
        if (engine.compact) await ctx.storage.compact('shop');
        const report = (/** @type {Record<string, string>} */ filters) =>
          buildReport(ctx.storage, { site: 'shop', from: FROM, to: TO, now: NOW, filters });
        expect((await report({})).countries.map((/** @type {any} */ c) => [c.name, c.sessions])).toEqual([
          ['DE', 1],
          ['FR', 1],
        ]);
        const de = await report({ country: 'DE' });
        expect(de.totals).toEqual({ events: 2, page_views: 2, visitors: 1, sessions: 1 });
        expect(de.exit.map((/** @type {any} */ x) => x.name)).toEqual(['/b']);
        const fr = await report({ country: 'FR' });
        expect(fr.totals).toEqual({ events: 1, page_views: 1, visitors: 1, sessions: 1 });
        expect(fr.landing.map((/** @type {any} */ x) => x.name)).toEqual(['/c']);
      } finally {
        await ctx.done();
      }
    });
  });

for (const engine of all)
  describeEngine(engine, 'crawlers at the door', () => {
    let ctx;
    let collector;
    let base;
    beforeAll(async () => {
      ctx = await tempStorage(engine);
      collector = createCollector({ storage: ctx.storage });
      base = `http://127.0.0.1:${await collector.listen(0)}`;
    });
    afterAll(async () => {
      await collector?.close();
      await ctx?.done();
    });

    it('never reach the funnel, and the report says how many were left out', async () => {
      const visit = (/** @type {string} */ v) => [
        event({ visitor_id: v, session_id: `${v}-s`, url: `${U}/products/tee` }),
        event({ visitor_id: v, session_id: `${v}-s`, type: 'view_item', url: `${U}/products/tee` }),
      ];
      const post = (/** @type {string} */ ua, /** @type {object[]} */ events) =>
        fetch(`${base}/collect`, {
          method: 'POST',
          headers: { 'user-agent': ua },
          body: JSON.stringify({ v: 1, site: 'crawled', events }),
        });
      expect((await post(UA.chrome, visit('person'))).status).toBe(200);
      for (const bot of ['googlebot', 'bingbot', 'headless', 'lighthouse'])
        expect((await post(UA[/** @type {keyof typeof UA} */ (bot)], visit(bot))).status).toBe(200);
      const r = await (await fetch(`${base}/api/report?site=crawled`)).json();
      expect(r.funnel.slice(0, 2).map((/** @type {any} */ f) => f.visitors)).toEqual([1, 1]);
      expect(r.totals.events).toBe(2);
      expect(r.bots).toBe(8);
      const page = await (await fetch(`${base}/report?site=crawled`)).text();
      expect(page).toContain('8 events of crawlers left out');
    });

    it('takes filters on the API, CSV and page; a bad one is a 400', async () => {
      const post = (/** @type {string} */ ua, /** @type {string} */ v) =>
        fetch(`${base}/collect`, {
          method: 'POST',
          headers: { 'user-agent': ua },
          body: JSON.stringify({ v: 1, site: 'filtered', events: [event({ visitor_id: v, session_id: `${v}-s` })] }),
        });
      await post(UA.chrome, 'desk');
      await post(UA.safariIos, 'phone1');
      await post(UA.samsung, 'phone2');
      const api = await (await fetch(`${base}/api/report?site=filtered&device=mobile`)).json();
      expect(api.filters).toEqual({ device: 'mobile' });
      expect(api.totals.visitors).toBe(2);
      expect(api.browsers.map((/** @type {any} */ b) => b.name)).toEqual(['Safari', 'Samsung Internet']);
      const csv = await (
        await fetch(`${base}/api/report?site=filtered&device=mobile&os=Android&format=csv&table=browsers`)
      ).text();
      expect(csv.split('\r\n')[1]).toBe('Samsung Internet,1,1,0,0,0');
      expect(csv.split('\r\n')).toHaveLength(3);
      const bad = await fetch(`${base}/api/report?site=filtered&stage=lost`);
      expect(bad.status).toBe(400);
      expect((await bad.json()).error).toContain('stage: expected one of');
      const page = await (await fetch(`${base}/report?site=filtered&device=mobile`)).text();
      expect(page).toContain('aria-label="remove the filter device"');
      expect(page).toMatch(/href="\/report\?site=filtered&amp;from=[\d-]+&amp;to=[\d-]+&amp;device=mobile&amp;browser=Safari"/);
    });
  });
