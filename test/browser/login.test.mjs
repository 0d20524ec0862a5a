// Issue 17, in a real browser: with a token set, /report leads to the login form, the form trades the
// token for an HttpOnly, SameSite=Strict cookie, and the report then opens with no token in any URL and
// no console error (its Content-Security-Policy allows no script, and the pages need none).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage } from '../../examples/collector/lib/storage/index.js';
import { createCollector } from '../../examples/collector/lib/collector.js';
import { launchBrowser } from './chromium.mjs';

const TOKEN = 'browser-test-token-0123456789abcdef-01';

describe('login → cookie → report, in Chromium', () => {
  let dir, collector, base, browser;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'journey-login-'));
    collector = createCollector({ storage: await createStorage({ JOURNEY_DATA: dir }), token: TOKEN });
    base = `http://127.0.0.1:${await collector.listen(0)}`;
    const now = Date.now();
    const event = {
      id: '01JD3Q8Z7X9K2M4N6P8R0T2V4W',
      type: 'page_view',
      time: now - 1000,
      visitor_id: 'v',
      session_id: 's',
      stage: 'awareness',
      url: 'https://shop.example/',
      referrer: '',
      title: '',
      props: {},
    };
    await fetch(`${base}/collect`, {
      method: 'POST',
      body: JSON.stringify({ v: 1, site: 'login-shop', sent_at: now, events: [event] }),
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await collector?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs in through the form and reads the report by cookie alone', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = [];
    const urls = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => urls.push(r.url()));
    await page.goto(`${base}/report?site=login-shop`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('input[name="token"]', TOKEN);
    await Promise.all([page.waitForURL(`${base}/report?site=login-shop`), page.click('button')]);
    expect(await page.locator('section[aria-label="Journey funnel"]').count()).toBe(1);
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'journey_session', httpOnly: true, sameSite: 'Strict', secure: false });
    expect(urls.some((u) => u.includes(TOKEN))).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });
});
