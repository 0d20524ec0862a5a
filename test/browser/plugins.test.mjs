// Issue 6, end to end: the commerce plugins of the script tag (cart, checkout, referral, dataLayer)
// and the web-vitals add-on tag, in headless Chromium over the real demo shop (README, "Plugins" and "The wire format").
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCapture, requireBundle } from './capture.mjs';
import { launchBrowser } from './chromium.mjs';
import { byTime, clickAway, createShopServer, flush, unique, visit } from './shop-server.mjs';

const VIEWPORT = { width: 1280, height: 2000 };
const RATINGS = ['good', 'needs-improvement', 'poor'];

// The demo shop's products as its markup describes them (data-journey-prop-*).
const LINEN = {
  item_id: 'linen-shirt',
  item_name: 'Linen shirt',
  item_brand: 'Atelier Nord',
  item_category: 'shirts',
  price: 59,
  quantity: 1,
};
const TOTE = {
  item_id: 'canvas-tote',
  item_name: 'Canvas tote',
  item_brand: 'Field & Co',
  item_category: 'bags',
  price: 29,
  quantity: 1,
};

describe('plugins in the browser (script tag over the demo shop)', () => {
  let cap, shop, browser, context;
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
  beforeEach(async () => {
    cap.reset();
    context = await browser.newContext({ viewport: VIEWPORT });
  });
  afterEach(async () => {
    await context?.close();
  });

  const events = () => byTime(unique(cap.events()));
  const ofType = (type) => events().filter((e) => e.type === type);
  /** Wait until the capture holds `n` events of `type` (from a page whose URL contains `path`). */
  const arrived = (type, path = '', n = 1) =>
    cap.waitForEvents((evs) => {
      const got = unique(evs).filter((e) => e.type === type && e.url.includes(path));
      return got.length >= n && got;
    });
  /**
   * Resolve once the page's IntersectionObservers have been notified about `selector`: observers are
   * notified in creation order, so the tracker's (created earlier) has run when this one runs.
   */
  const viewsSettled = (page, selector) =>
    page.evaluate(
      (sel) =>
        new Promise((resolve) => {
          const io = new IntersectionObserver(() => {
            io.disconnect();
            resolve();
          });
          io.observe(document.querySelector(sel));
        }),
      selector,
    );
  /** Track a marker and wait for it: everything the page sent before it has arrived. */
  const sentinel = async (page, name) => {
    await page.evaluate((n) => window.journey.track(n), name);
    await flush(page);
    await arrived(name);
  };

  /** Two products into the cart, through cart and checkout to the thank-you page. */
  const buyTwo = async (page) => {
    await visit(page, shop.url('/shop/products/linen-shirt.html'));
    await page.click('[data-add-to-cart]');
    await flush(page);
    await arrived('add_to_cart', 'linen-shirt');
    await clickAway(page, 'nav a[href="../collections/bags.html"]', '/collections/bags.html');
    await clickAway(page, 'a[href*="canvas-tote"]', '/products/canvas-tote.html');
    await page.click('[data-add-to-cart]');
    await flush(page);
    await arrived('add_to_cart', 'canvas-tote');
    await clickAway(page, 'a.cart-link', '/cart.html');
    await arrived('view_cart');
    await clickAway(page, 'a[data-journey-event="begin_checkout"]', '/checkout.html');
    await page.click('[data-journey-event="add_shipping_info"]');
    await clickAway(page, 'form.checkout button.button', '/thank-you.html');
    await arrived('purchase');
  };

  it('cart and checkout pages send GA4-shaped commerce events with items, value and currency', async () => {
    const page = await context.newPage();
    await buyTwo(page);
    await sentinel(page, 'done');

    const adds = ofType('add_to_cart');
    expect(adds.map((e) => e.props)).toEqual([
      expect.objectContaining({ items: [LINEN], value: 59, currency: 'EUR' }),
      expect.objectContaining({ items: [TOTE], value: 29, currency: 'EUR' }),
    ]);
    const cart = { items: [LINEN, TOTE], value: 88, currency: 'EUR' };
    for (const type of ['view_cart', 'begin_checkout', 'add_shipping_info', 'add_payment_info']) {
      const all = ofType(type);
      expect(all, type).toHaveLength(1);
      expect(all[0].props, type).toMatchObject(cart);
      expect(all[0].stage, type).toBe('conversion');
    }
    expect(ofType('add_shipping_info')[0].props.shipping_tier).toBe('standard');
    expect(ofType('add_payment_info')[0].props.payment_type).toBe('card');

    const [purchase, ...more] = ofType('purchase');
    expect(more).toEqual([]);
    expect(purchase.props).toMatchObject(cart);
    expect(purchase.props.transaction_id).toMatch(/^NL-\w+$/);
    expect(purchase.url).toContain('/shop/thank-you.html');
    // checkout(): time from begin_checkout to the purchase, on the visitor's clock.
    const begun = ofType('begin_checkout')[0];
    expect(purchase.props.checkout_ms).toBe(purchase.time - begun.time);
    // referral(): a direct first visit is the first and the last touch.
    expect(purchase.props.first_touch).toEqual(expect.objectContaining({ source: 'direct' }));
    expect(purchase.props.last_touch).toEqual(expect.objectContaining({ source: 'direct' }));
    // One session, one visitor, from the first add to the purchase.
    expect(new Set([...adds, purchase].map((e) => e.session_id)).size).toBe(1);
  });

  it('a reloaded or reopened thank-you page sends no second purchase', async () => {
    const page = await context.newPage();
    await buyTwo(page);
    const [first] = ofType('purchase');

    await page.reload();
    await visit(page, page.url()); // the visitor opens it once more from the address bar
    const again = await context.newPage(); // and in a second tab
    await visit(again, page.url());
    await arrived('page_view', '/thank-you.html', 4);
    // The page shows the same order, and the tracker has looked at it on each load.
    expect(await again.textContent('[data-order-id]')).toBe(first.props.transaction_id);
    await viewsSettled(page, '[data-journey-view="purchase"]');
    await viewsSettled(again, '[data-journey-view="purchase"]');
    await sentinel(again, 'done');

    expect(ofType('purchase').map((e) => e.id)).toEqual([first.id]);
    expect(ofType('page_view').filter((e) => e.url.includes('/thank-you.html'))).toHaveLength(4);
  });

  it('a session left with a full cart sends one cart_abandoned when the next session starts, with the ended session_id', async () => {
    const page = await context.newPage();
    await visit(page, shop.url('/shop/products/linen-shirt.html'));
    await page.click('[data-add-to-cart]');
    await flush(page);
    const [add] = await arrived('add_to_cart');
    // Still the same session: nothing is abandoned yet.
    await clickAway(page, 'nav a[href="../collections/shirts.html"]', '/collections/shirts.html');
    await sentinel(page, 'same_session');
    expect(ofType('cart_abandoned')).toEqual([]);

    // The visitor comes back from a campaign: a different campaign starts a new session (README, "Journey stages").
    await visit(page, shop.url('/shop/?utm_source=instagram&utm_medium=social&utm_campaign=spring'));
    const [abandoned] = await arrived('cart_abandoned');
    const [pv] = ofType('page_view').filter((e) => e.url.includes('utm_campaign=spring'));
    expect(pv.session_id).not.toBe(add.session_id);
    expect(abandoned.session_id).toBe(add.session_id);
    expect(abandoned.visitor_id).toBe(add.visitor_id);
    expect(abandoned.props).toMatchObject({ items: [LINEN], value: 59, currency: 'EUR' });

    // More pages and yet another new session: the cart was reported once and is empty now.
    await clickAway(page, 'nav a[href="collections/bags.html"]', '/collections/bags.html');
    await visit(page, shop.url('/shop/?utm_source=newsletter&utm_campaign=summer'));
    await sentinel(page, 'later');
    const sessions = new Set(ofType('page_view').map((e) => e.session_id));
    expect(sessions.size).toBe(3);
    expect(ofType('cart_abandoned').map((e) => e.id)).toEqual([abandoned.id]);
  });

  it('dataLayer named without its add-on tag: nothing mapped, and under data-debug the main tag says so', async () => {
    const page = await context.newPage();
    const said = [];
    page.on('console', (m) => said.push(m.text()));
    // The same page as below, without the add-on tag and with data-debug.
    await page.route('**/datalayer/', async (route) => {
      const r = await route.fetch();
      const body = (await r.text())
        .replace('<script async src="/journey.data-layer.min.js"></script>', '')
        .replace('data-site=', 'data-debug data-site=');
      await route.fulfill({ response: r, body });
    });
    await visit(page, cap.url('/datalayer/'));
    await page.click('#add');
    await sentinel(page, 'no-addon');
    expect(said).toContain('[journey] 6'); // README, "Debugging": dataLayer named without its add-on tag
    expect(events().filter((e) => ['view_item', 'view_item_list', 'add_to_cart'].includes(e.type))).toEqual([]);
    await page.close();
  });

  it('dataLayer: entries already pushed and later pushes become mapped journey events', async () => {
    const page = await context.newPage();
    await visit(page, cap.url('/datalayer/'));
    await page.click('#add');
    await page.evaluate(() => {
      window.dataLayer.push({ ecommerce: null });
      window.dataLayer.push({
        event: 'purchase',
        ecommerce: {
          transaction_id: 'T-77',
          currency: 'EUR',
          value: '118.00',
          tax: '18.8',
          items: [{ item_id: 1001, price: '59', quantity: '2' }],
        },
      });
      window.dataLayer.push({ event: 'purchase', journey: true, ecommerce: { transaction_id: 'T-mirrored', value: 1 } });
      window.dataLayer.push({ event: 'gtm.click' });
    });
    await sentinel(page, 'done');

    const got = events().filter((e) => e.type !== 'web_vital' && e.type !== 'page_leave');
    expect(got.map((e) => `${e.type}@${e.stage}`)).toEqual([
      'page_view@awareness',
      'view_item@consideration',
      'stage_change@consideration',
      'view_item_list@consideration',
      'add_to_cart@conversion',
      'stage_change@conversion',
      'purchase@conversion',
      'done@conversion',
    ]);
    const of = (t) => got.find((e) => e.type === t).props;
    expect(of('view_item')).toMatchObject({
      currency: 'EUR',
      value: 59,
      items: [{ item_id: '1001', item_name: 'Linen shirt', item_category: 'shirts', price: 59, quantity: 1 }],
    });
    expect(of('view_item')).not.toHaveProperty('event');
    expect(of('view_item_list')).toMatchObject({
      item_list_id: 'shirts',
      items: [{ item_id: 'SKU-2', item_name: 'Oxford shirt', price: 69 }],
    });
    expect(of('add_to_cart')).toMatchObject({
      currency: 'EUR',
      value: 118,
      items: [{ item_id: '1001', price: 59, quantity: 2 }],
    });
    expect(of('purchase')).toMatchObject({
      transaction_id: 'T-77',
      currency: 'EUR',
      value: 118,
      tax: 18.8,
      items: [{ item_id: '1001', price: 59, quantity: 2 }],
    });
  });

  it('web vitals from the add-on tag arrive with the stage and page they were measured on', async () => {
    const page = await context.newPage();
    await visit(page, shop.url('/shop/products/linen-shirt.html'));
    await arrived('view_item');
    // Input ends LCP (web-vitals finalises it on a trusted click, so a real mouse click on empty page),
    // and hiding the page ends CLS (reported on visibilitychange to hidden).
    await page.mouse.click(VIEWPORT.width - 5, VIEWPORT.height - 5);
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      Object.defineProperty(document, 'hidden', { value: true, configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await flush(page);
    const want = ['CLS', 'FCP', 'LCP', 'TTFB'];
    const onProduct = (evs) => {
      const v = unique(evs).filter((e) => e.type === 'web_vital' && e.url.includes('/products/linen-shirt.html'));
      return want.every((n) => v.some((e) => e.props.name === n)) && v;
    };
    const vitals = await cap.waitForEvents(onProduct);
    for (const v of vitals) {
      expect(v.stage).toBe('consideration');
      expect(v.url).toBe(shop.url('/shop/products/linen-shirt.html'));
      expect(v.title).toBe('Linen shirt · Nordlys');
      expect(RATINGS).toContain(v.props.rating);
      expect(typeof v.props.value).toBe('number');
      expect(v.props.value).toBeGreaterThanOrEqual(0);
      expect(typeof v.props.id).toBe('string');
    }
    // A page of another stage: its vitals carry that stage.
    await visit(page, shop.url('/shop/cart.html'));
    await flush(page);
    const onCart = await cap.waitForEvents((evs) => {
      const v = unique(evs).filter((e) => e.type === 'web_vital' && e.url.includes('/cart.html'));
      return v.some((e) => e.props.name === 'FCP') && v.some((e) => e.props.name === 'TTFB') && v;
    });
    expect(new Set(onCart.map((e) => e.stage))).toEqual(new Set(['conversion']));
  });
});
