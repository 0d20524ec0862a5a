// Issue 19, in a real browser: a row of a breakdown table is a plain link that opens the whole report for that
// segment (the page runs under a CSP without scripts), the active filter is shown, and its × removes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage } from '../../examples/collector/lib/storage/index.js';
import { createCollector } from '../../examples/collector/lib/collector.js';
import { createRandom, ulid } from '../../examples/collector/lib/journeys.js';
import { launchBrowser } from './chromium.mjs';

const UA = {
  phone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  desktop: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
};

describe('report filters by clicking a row, in Chromium', () => {
  let dir, collector, base, browser;
  const errors = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'journey-filters-'));
    collector = createCollector({ storage: await createStorage({ JOURNEY_DATA: dir }) });
    base = `http://127.0.0.1:${await collector.listen(0)}`;
    const rnd = createRandom(7);
    const now = Date.now();
    // Two phones (one buys) and three desktops, each its own request so its User-Agent is its own.
    const visitors = [
      ['p1', 'phone', true],
      ['p2', 'phone', false],
      ['d1', 'desktop', false],
      ['d2', 'desktop', false],
      ['d3', 'desktop', false],
    ];
    for (const [v, device, buys] of visitors) {
      const e = (type, props = {}) => ({
        id: ulid(now - 60_000, rnd),
        type,
        time: now - 60_000,
        visitor_id: v,
        session_id: `${v}-s`,
        stage: type === 'purchase' ? 'retention' : 'awareness',
        url: `https://shop.example/${type === 'purchase' ? 'thank-you' : 'products/tee'}`,
        referrer: '',
        title: '',
        props,
      });
      const events = [e('page_view'), ...(buys ? [e('purchase', { transaction_id: `T-${v}`, value: 40, currency: 'EUR' })] : [])];
      const r = await fetch(`${base}/collect`, {
        method: 'POST',
        headers: { 'user-agent': UA[device] },
        body: JSON.stringify({ v: 1, site: 'seg', events }),
      });
      expect(r.status).toBe(200);
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await collector?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('opens the segment of a clicked row, shows the filter, and removes it', async () => {
    const page = await browser.newPage();
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/report?site=seg`);
    const devices = page.locator('section', { has: page.locator('h2', { hasText: 'Devices' }) });
    expect(await devices.locator('td:first-child').allTextContents()).toEqual(['desktop', 'mobile']);
    await Promise.all([page.waitForURL(/device=mobile/), devices.locator('a', { hasText: 'mobile' }).click()]);
    expect(new URL(page.url()).searchParams.get('device')).toBe('mobile');
    const filters = page.locator('section[aria-label="Filters"]');
    expect(await filters.locator('li').allTextContents()).toEqual(['device mobile ×']);
    expect(await devices.locator('td:first-child').allTextContents()).toEqual(['mobile']);
    // The whole page is the segment's: two visitors, one of whom bought.
    const row = await devices.locator('tr').nth(1).locator('td').allTextContents();
    expect(row.slice(0, 5)).toEqual(['mobile', '2', '2', '1', '50.0%']);
    expect(await page.locator('.kpi', { hasText: 'Visitors' }).locator('b').textContent()).toBe('2');
    // A second click narrows further; the range form keeps the filters.
    await Promise.all([
      page.waitForURL(/browser=Safari/),
      page
        .locator('section', { has: page.locator('h2', { hasText: 'Browsers' }) })
        .locator('a', { hasText: 'Safari' })
        .click(),
    ]);
    expect(await filters.locator('li').count()).toBe(2);
    expect(await page.locator('form[action="/report"] input[type=hidden][name=device]').getAttribute('value')).toBe('mobile');
    await Promise.all([
      page.waitForURL((u) => !u.searchParams.has('device')),
      filters.locator('a[aria-label="remove the filter device"]').click(),
    ]);
    expect(new URL(page.url()).searchParams.get('browser')).toBe('Safari');
    await Promise.all([
      page.waitForURL((u) => !u.searchParams.has('browser')),
      page.locator('a', { hasText: 'Remove all filters' }).click(),
    ]);
    expect(await filters.count()).toBe(0);
    expect(await devices.locator('td:first-child').allTextContents()).toEqual(['desktop', 'mobile']);
    expect(errors).toEqual([]);
  });
});
