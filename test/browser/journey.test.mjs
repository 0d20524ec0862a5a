// Issue 5, end to end: a visitor's journey over the real demo shop (examples/shop, instrumented only
// with the script tag and data-journey-* attributes) in headless Chromium, and the exact stages and
// stage_change events that reach the collector (README, "Quickstart: theme authors" and "Journey stages").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCapture, requireBundle } from './capture.mjs';
import { launchBrowser } from './chromium.mjs';
import { byTime, clickAway, createShopServer, flush, step, unique, visit } from './shop-server.mjs';

// Past the tracker's default 30-minute session timeout.
const LATER = 31 * 60_000;
// Tall enough that every data-journey-view element of a shop page is in view on load.
const VIEWPORT = { width: 1280, height: 2000 };

describe('journey over the demo shop (data attributes only)', () => {
  let cap, shop, browser;
  beforeAll(async () => {
    requireBundle();
    cap = await createCapture();
    shop = await createShopServer({ collect: cap.url('/collect') });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await shop?.close();
    await cap?.close();
  });

  /** Wait until the capture holds a `type` event from a page whose URL contains `path`. */
  const arrived = (type, path) => cap.waitForEvents((evs) => evs.find((e) => e.type === type && e.url.includes(path)));

  it('lands from a newsletter, buys, returns in a new session and shares: the exact stages and stage changes', async () => {
    const context = await browser.newContext({ viewport: VIEWPORT });
    let page = await context.newPage();

    // Session 1. A newsletter click: a new visitor from outside starts in awareness.
    await visit(page, shop.url('/shop/?utm_source=newsletter'));
    await arrived('view_item_list', '/shop/?utm_source');
    await clickAway(page, 'nav a[href="collections/shirts.html"]', '/collections/shirts.html');
    await arrived('view_item_list', '/collections/shirts.html');
    await clickAway(page, 'a[data-journey-event="select_item"][href*="linen-shirt"]', '/products/linen-shirt.html');
    await arrived('view_item', '/products/linen-shirt.html');
    await page.click('[data-add-to-cart]');
    await flush(page);
    await arrived('add_to_cart', '/products/linen-shirt.html');
    await clickAway(page, 'a.cart-link', '/cart.html');
    await arrived('view_cart', '/cart.html');
    await clickAway(page, 'a[data-journey-event="begin_checkout"]', '/checkout.html');
    await page.click('[data-journey-event="add_shipping_info"]');
    await flush(page);
    await arrived('add_shipping_info', '/checkout.html');
    await clickAway(page, 'form.checkout button.button', '/thank-you.html');
    await arrived('purchase', '/thank-you.html');
    await page.close();

    // Session 2: the visitor comes back directly after the session timeout has passed.
    await context.clock.install({ time: Date.now() + LATER });
    page = await context.newPage();
    await visit(page, shop.url('/shop/'));
    await arrived('view_item_list', '/shop/');
    await clickAway(page, 'footer a[href="referral.html"]', '/referral.html');
    await page.click('[data-copy-referral]');
    await flush(page);
    await cap.waitForEvents((evs) => evs.find((e) => e.type === 'stage_change' && e.props.to === 'advocacy'));
    await context.close();

    const all = byTime(unique(cap.events()));
    // Every page the visitor clicked away from sent its page_leave, with the stage at that moment
    // (the two pages closed with their tab may or may not get theirs out: not asserted).
    const path = (e) => e.url.replace(shop.origin, '');
    const closed = (e) => /thank-you|referral/.test(e.url);
    expect(all.filter((e) => e.type === 'page_leave' && !closed(e)).map((e) => `${path(e)}@${e.stage}`)).toEqual([
      '/shop/?utm_source=newsletter@consideration',
      '/shop/collections/shirts.html@consideration',
      '/shop/products/linen-shirt.html@conversion',
      '/shop/cart.html@conversion',
      '/shop/checkout.html@conversion',
      '/shop/@retention',
    ]);
    // The journey itself. Web vitals carry the stage but come when the browser measures them.
    const events = all.filter((e) => e.type !== 'page_leave' && e.type !== 'web_vital');
    expect(events.map(step)).toEqual([
      // landing /shop/?utm_source=newsletter
      'page_view@awareness',
      'view_promotion@consideration',
      'stage_change:awareness>consideration',
      'view_item_list@consideration',
      // category page
      'page_view@consideration',
      'view_item_list@consideration',
      'select_item@consideration',
      // product page
      'page_view@consideration',
      'view_item@consideration',
      'add_to_cart@conversion',
      'stage_change:consideration>conversion',
      // cart
      'page_view@conversion',
      'view_cart@conversion',
      'begin_checkout@conversion',
      // checkout
      'page_view@conversion',
      'add_shipping_info@conversion',
      'add_payment_info@conversion',
      // thank-you
      'page_view@conversion',
      'purchase@conversion',
      // session 2: a buyer starts in retention; browsing keeps them there
      'page_view@retention',
      'stage_change:conversion>retention',
      'view_promotion@retention',
      'view_item_list@retention',
      'page_view@retention',
      // sharing the referral link
      'referral_share@advocacy',
      'stage_change:retention>advocacy',
    ]);

    // Every stage_change carries the stage it moved to.
    for (const e of events.filter((x) => x.type === 'stage_change')) expect(e.stage).toBe(e.props.to);
    // One visitor, two sessions, split where the visitor came back.
    const back = events.findIndex((e) => e.url === shop.url('/shop/'));
    expect(new Set(events.map((e) => e.visitor_id)).size).toBe(1);
    expect(new Set(events.slice(0, back).map((e) => e.session_id)).size).toBe(1);
    expect(new Set(events.slice(back).map((e) => e.session_id)).size).toBe(1);
    expect(events[back].session_id).not.toBe(events[0].session_id);
    // The session's first page view carries what the collector derives its source from (README, "Journey
    // stages"), and no source of its own.
    expect(events[0].props).toMatchObject({ utm_source: 'newsletter' });
    expect(events.every((e) => e.props.source === undefined)).toBe(true);
    expect(events[back].props.utm_source).toBeUndefined();
    // Later page views of a session carry no attribution.
    expect(events.filter((e, i) => e.type === 'page_view' && i !== 0).every((e) => e.props.utm_source === undefined)).toBe(true);
  });
});
