// Issue 7, end to end: three visitors browse the demo shop in Chromium against the real reference
// collector (DuckDB in a temporary directory), then /api/report holds exactly the counts their
// journeys imply and /report renders its funnel with no console errors (README, "The wire format" and "The reference collector").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage } from '../../examples/collector/lib/storage/index.js';
import { createCollector } from '../../examples/collector/lib/collector.js';
import { DIST, requireBundle } from './capture.mjs';
import { launchBrowser } from './chromium.mjs';
import { clickAway, flush, visit } from './shop-server.mjs';

const SITE = 'demo-shop';
const VIEWPORT = { width: 1280, height: 2000 };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('demo shop → collector → journey report', () => {
  let dir, collector, base, browser;
  /** Console errors and uncaught exceptions of every page, with the page they came from. */
  const errors = [];

  const rows = () => collector.storage.query('SELECT type, url, session_id, visitor_id FROM events ORDER BY time, id');
  /** Wait until the database holds `n` events of `type` from pages whose URL contains `path`. */
  const stored = async (type, path = '', n = 1, timeout = 10_000) => {
    const end = Date.now() + timeout;
    for (;;) {
      const got = (await rows()).filter((r) => r.type === type && r.url.includes(path));
      if (got.length >= n) return got;
      if (Date.now() > end) {
        const seen = (await rows()).map((r) => `${r.type} ${r.url.replace(base, '')}`).join('\n');
        throw new Error(`timed out waiting for ${n} stored '${type}' from '${path}'; stored:\n${seen}`);
      }
      await sleep(50);
    }
  };
  const newVisitor = async () => {
    const context = await browser.newContext({ viewport: VIEWPORT });
    context.on('page', (p) => {
      p.on('console', (m) => m.type() === 'error' && errors.push(`${p.url()}: ${m.text()}`));
      p.on('pageerror', (e) => errors.push(`${p.url()}: ${e.message}`));
    });
    return { context, page: await context.newPage() };
  };
  /** Send what is queued and wait until the database has the page's `type` event. */
  const settle = async (page, type, path) => {
    await flush(page);
    await stored(type, path);
  };

  beforeAll(async () => {
    requireBundle();
    dir = mkdtempSync(join(tmpdir(), 'journey-report-'));
    collector = createCollector({ storage: await createStorage({ JOURNEY_DATA: dir }), distDir: DIST });
    base = `http://127.0.0.1:${await collector.listen(0)}`;
    browser = await launchBrowser();
    const url = (p) => base + p;

    // Visitor A: a newsletter click, browses, buys the linen shirt (€59)…
    const a = await newVisitor();
    await visit(a.page, url('/shop/?utm_source=newsletter&utm_medium=email&utm_campaign=autumn'));
    await settle(a.page, 'view_item_list', 'campaign=autumn');
    await clickAway(a.page, 'nav a[href="collections/shirts.html"]', '/collections/shirts.html');
    await clickAway(a.page, 'a[data-journey-event="select_item"][href*="linen-shirt"]', '/products/linen-shirt.html');
    await a.page.click('[data-add-to-cart]');
    await settle(a.page, 'add_to_cart', '/products/linen-shirt.html');
    await clickAway(a.page, 'a.cart-link', '/cart.html');
    await clickAway(a.page, 'a[data-journey-event="begin_checkout"]', '/checkout.html');
    await a.page.click('[data-journey-event="add_shipping_info"]');
    await clickAway(a.page, 'form.checkout button.button', '/thank-you.html');
    await settle(a.page, 'purchase', '/thank-you.html');
    // …and comes back from the next newsletter (a new campaign: a new session), answers the NPS
    // prompt with a 10 and copies their referral link.
    await visit(a.page, url('/shop/?utm_source=newsletter&utm_medium=email&utm_campaign=winter'));
    await clickAway(a.page, 'footer a[href="nps.html"]', '/nps.html');
    await a.page.check('input[name="score"][value="10"]');
    await clickAway(a.page, 'form.nps button.button', '/index.html?score=10');
    await clickAway(a.page, 'footer a[href="referral.html"]', '/referral.html');
    await a.page.click('[data-copy-referral]');
    await settle(a.page, 'referral_share', '/referral.html');
    await a.context.close();

    // Visitor B: a friend's referral link, puts the tote in the cart and leaves it; comes back from
    // a paid search ad (a new session: the tracker reports the cart abandoned) and bounces.
    const b = await newVisitor();
    await visit(b.page, url('/shop/products/canvas-tote.html?ref=ALEX10'));
    await b.page.click('[data-add-to-cart]');
    await settle(b.page, 'add_to_cart', '/products/canvas-tote.html');
    await clickAway(b.page, 'a.cart-link', '/cart.html');
    await settle(b.page, 'view_cart', '/cart.html');
    await visit(b.page, url('/shop/?utm_source=google&utm_medium=cpc&utm_campaign=brand'));
    await settle(b.page, 'cart_abandoned');
    await b.context.close();

    // Visitor C: types the NPS page's address, answers nothing and leaves.
    const c = await newVisitor();
    await visit(c.page, url('/shop/nps.html'));
    await settle(c.page, 'page_view', '/nps.html');
    await c.context.close();
  });

  afterAll(async () => {
    await browser?.close();
    await collector?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const report = async () => {
    const r = await fetch(`${base}/api/report?site=${SITE}`);
    expect(r.status).toBe(200);
    return r.json();
  };

  it('the shop pages themselves log no errors', () => {
    expect(errors).toEqual([]);
  });

  it('/api/report counts the visitors, sessions and page views of the three journeys', async () => {
    const r = await report();
    expect(r.site).toBe(SITE);
    // A: 6 pages + 4 pages, B: 2 + 1, C: 1.
    expect(r.totals).toMatchObject({ visitors: 3, sessions: 5, page_views: 14 });
    expect(r.bounce).toEqual({ sessions: 5, bounced: 2, rate: 2 / 5 });
    expect(r.conversion).toEqual({ sessions: 5, converted: 1, rate: 1 / 5, purchasers: 1 });
  });

  it('/api/report has the journey funnel: A went every step, B carted, C only visited', async () => {
    const r = await report();
    expect(r.funnel.map((f) => [f.step, f.visitors, f.entrants])).toEqual([
      ['visited', 3, 0],
      ['viewed_products', 2, 0],
      ['added_to_cart', 2, 0],
      ['purchased', 1, 0],
      ['came_back', 1, 0],
      ['recommended', 1, 0],
    ]);
    expect(r.advocates_without_purchase).toBe(0);
    expect(r.conversion.purchasers).toBe(1);
    // Where they are now: A in advocacy; every visitor at exactly one stage.
    expect(r.stages_now.find((s) => s.stage === 'advocacy').visitors).toBe(1);
    expect(r.stages_now.reduce((n, s) => n + s.visitors, 0)).toBe(3);
  });

  it('/api/report has the purchase, revenue and lifetime value per currency, and the NPS', async () => {
    const r = await report();
    expect(r.revenue).toEqual([{ currency: 'EUR', orders: 1, revenue: 59, aov: 59 }]);
    expect(r.clv).toEqual([{ currency: 'EUR', customers: 1, revenue: 59, repeat_customers: 0, clv: 59, repeat_rate: 0 }]);
    expect(r.nps).toEqual({ responses: 1, promoters: 1, detractors: 0, score: 100 });
  });

  it('/api/report attributes sessions to sources, campaigns and referral codes', async () => {
    const r = await report();
    expect(r.sources).toEqual([
      { name: 'email', sessions: 2, converted: 1, rate: 1 / 2 },
      { name: 'direct', sessions: 1, converted: 0, rate: 0 },
      { name: 'paid', sessions: 1, converted: 0, rate: 0 },
      { name: 'referral', sessions: 1, converted: 0, rate: 0 },
    ]);
    expect(r.campaigns).toEqual([
      { name: 'autumn', sessions: 1, converted: 1, rate: 1 },
      { name: 'brand', sessions: 1, converted: 0, rate: 0 },
      { name: 'winter', sessions: 1, converted: 0, rate: 0 },
    ]);
    // Only B's first session arrived through ALEX10. A's second session shares A's own link (a
    // referral_share carrying ref=ALEX10): the sharer did not arrive through the code.
    expect(r.referrals).toEqual([{ name: 'ALEX10', sessions: 1, converted: 0, rate: 0 }]);
  });

  it('/api/report counts B’s cart, which the tracker reported abandoned, as an abandoned cart', async () => {
    // Carted sessions: A's first (bought) and B's first (its cart_abandoned names it, sent when B came back).
    const r = await report();
    expect(r.cart_abandonment).toEqual({ carted: 2, abandoned: 1, rate: 1 / 2 });
  });

  it('/api/report has web vitals only under stage names, measured on the shop pages', async () => {
    const r = await report();
    const stages = ['awareness', 'consideration', 'conversion', 'retention', 'advocacy'];
    expect(r.vitals.length).toBeGreaterThan(0);
    for (const v of r.vitals) {
      expect(stages).toContain(v.stage);
      expect(['LCP', 'INP', 'CLS', 'FCP', 'TTFB']).toContain(v.name);
      expect(v.samples).toBeGreaterThan(0);
    }
  });

  /**
   * Open the report at a viewport size and measure what a person would see: sideways scroll, text under
   * 12 px (elements with text of their own, as laid out), and elements reaching past the right edge.
   */
  const measure = async (width, height) => {
    const { context, page } = await newVisitor();
    await page.setViewportSize({ width, height });
    const res = await page.goto(`${base}/report?site=${SITE}`);
    expect(res.status()).toBe(200);
    const m = await page.evaluate(() => {
      const small = [];
      const past = [];
      for (const el of document.querySelectorAll('body *')) {
        const box = el.getBoundingClientRect();
        if (!box.width || !box.height) continue;
        const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
        if (own && parseFloat(getComputedStyle(el).fontSize) < 12)
          small.push(`${el.tagName}: ${el.textContent.trim().slice(0, 40)}`);
        // Inside a scrolling box (a wide table on a phone) is reachable, not cut.
        if (box.right > innerWidth + 0.5 && !el.closest('.scroll')) past.push(`${el.tagName}.${el.className}`);
      }
      return { scrollWidth: document.documentElement.scrollWidth, innerWidth, small, past };
    });
    const shot = await page.screenshot({ fullPage: true });
    const steps = await page.locator('section[aria-label="Journey funnel"] .step').allInnerTexts();
    await context.close();
    return { ...m, shot, steps };
  };

  for (const [width, height, name] of [
    [1440, 900, 'journey-report.png'],
    [390, 844, 'journey-report-phone.png'],
  ])
    it(`/report at ${width}×${height}: no sideways scroll, no text under 12 px, nothing past the edge, no console errors`, async () => {
      const before = errors.length;
      const m = await measure(width, height);
      expect(m.scrollWidth).toBeLessThanOrEqual(m.innerWidth);
      expect(m.small).toEqual([]);
      expect(m.past).toEqual([]);
      expect(m.steps.map((t) => t.replace(/\s+/g, ' ').trim().split(' · ')[0])).toEqual([
        'Visited 3 visitors',
        'Viewed products 2 visitors',
        'Added to cart 2 visitors',
        'Purchased 1 visitor',
        'Came back after buying 1 visitor',
        'Recommended 1 visitor',
      ]);
      // A PNG with something drawn on it (not an empty or error page), kept after the run for a person to look at.
      expect(m.shot.subarray(1, 4).toString()).toBe('PNG');
      expect(m.shot.length).toBeGreaterThan(20_000);
      writeFileSync(join(tmpdir(), name), m.shot);
      expect(errors.slice(before)).toEqual([]);
    });
});
