// Simulated shoppers for `npm run simulate` and the benchmark: realistic shapes (sources, drop-off
// at each step, returning customers, referrals), produced as wire-format batches (CONTRACT §6).
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A small seeded PRNG (mulberry32), so a run can be repeated. @param {number} seed */
export const createRandom = (seed) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** @param {number} time @param {() => number} rnd */
export const ulid = (time, rnd) => {
  let s = '';
  for (let i = 9, t = time; i >= 0; i--, t = Math.floor(t / 32)) s = CROCKFORD[t % 32] + s;
  for (let i = 0; i < 16; i++) s += CROCKFORD[Math.floor(rnd() * 32)];
  return s;
};

const PRODUCTS = [
  ['linen-shirt', 'Linen shirt', 'shirts', 59],
  ['oxford-shirt', 'Oxford shirt', 'shirts', 69],
  ['canvas-tote', 'Canvas tote', 'bags', 29],
  ['leather-weekender', 'Leather weekender', 'bags', 189],
  ['wool-beanie', 'Wool beanie', 'accessories', 24],
  ['silk-scarf', 'Silk scarf', 'accessories', 45],
];
/** @type {[source: string, weight: number, campaign?: string][]} */
const SOURCES = [
  ['direct', 30],
  ['search', 28],
  ['social', 14, 'spring_lookbook'],
  ['paid', 11, 'brand_search'],
  ['email', 9, 'newsletter_week_47'],
  ['referral', 8],
];
const REF_CODES = ['ANNA10', 'MARCO10', 'LEA10', 'SAM10'];
// The referrers a session of each source arrives with: the collector classifies them (source.js).
/** @type {Record<string, string[]>} */
const REFERRERS = {
  direct: [''],
  search: ['https://www.google.com/', 'https://www.google.com/', 'https://www.bing.com/', 'https://duckduckgo.com/'],
  social: ['https://l.instagram.com/', 'https://www.facebook.com/', 'https://t.co/'],
  paid: ['https://www.google.com/'],
  email: ['https://mail.google.com/', ''],
  referral: ['https://blog.example.org/gift-guide', 'https://www.reddit.com/r/malefashionadvice/'],
};
const VITALS = /** @type {const} */ ([
  ['LCP', 2200, 0.45],
  ['FCP', 1300, 0.4],
  ['TTFB', 420, 0.5],
  ['INP', 150, 0.6],
  ['CLS', 0.06, 0.8],
]);

/**
 * Generate one visitor's sessions as batches.
 * @param {{ base: string, site: string, rnd: () => number, start: number, now: number }} o
 * @returns {{ batches: any[][], events: number, purchases: number }}
 */
export const simulateVisitor = ({ base, rnd, start, now }) => {
  const pick = (/** @type {any[]} */ a) => a[Math.floor(rnd() * a.length)];
  const chance = (/** @type {number} */ p) => rnd() < p;
  const visitor = ulid(start, rnd);
  const currency = chance(0.85) ? 'EUR' : 'USD';
  /** @type {any[][]} */
  const batches = [];
  let stage = 'awareness';
  let purchased = false;
  let events = 0;
  let purchases = 0;
  /** @type {any[] | null} */
  let openCart = null;
  let time = start;
  let previous = '';
  const sessions = 1 + (chance(0.35) ? 1 : 0) + (chance(0.15) ? 1 : 0);
  for (let n = 0; n < sessions && time < now; n++) {
    const session = ulid(time, rnd);
    /** @type {any[]} */
    let batch = [];
    let url = `${base}/shop/`;
    /** The next page view's referrer: the arrival's, then the page before. */
    let cameFrom = '';
    const emit = (
      /** @type {string} */ type,
      /** @type {Record<string, unknown>} */ props = {},
      /** @type {string | undefined} */ to = undefined,
    ) => {
      if (to && to !== stage) {
        const from = stage;
        stage = to;
        emit('stage_change', { from, to });
      }
      time += 500 + Math.floor(rnd() * 4000);
      batch.push({
        id: ulid(time, rnd),
        type,
        time,
        visitor_id: visitor,
        session_id: session,
        stage,
        url,
        referrer: type === 'page_view' ? cameFrom : '',
        title: type,
        props,
      });
      events++;
      if (batch.length >= 12) batches.push(batch), (batch = []);
    };
    const page = (/** @type {string} */ path, /** @type {string} */ type, /** @type {Record<string, unknown>} */ props = {}) => {
      if (batch.length && url !== `${base}/shop/${path}`) {
        emit('page_leave', { engaged_ms: Math.round(3000 + rnd() * (type === 'product' ? 60000 : 25000)) });
      }
      url = `${base}/shop/${path}`;
      emit('page_view', props);
      cameFrom = url;
      if (chance(0.5))
        for (const [name, median, spread] of VITALS) {
          const value = median * Math.exp((rnd() - 0.5) * 2 * spread * 1.6);
          emit('web_vital', {
            name,
            value: name === 'CLS' ? Math.round(value * 1000) / 1000 : Math.round(value),
            rating: 'good',
          });
        }
    };
    // Where this session came from.
    const total = SOURCES.reduce((s, x) => s + x[1], 0);
    let r = rnd() * total;
    const [source, , campaign] = SOURCES.find((x) => (r -= x[1]) < 0) ?? SOURCES[0];
    cameFrom = pick(REFERRERS[source]);
    const landing = {
      ...(campaign && chance(0.8)
        ? { utm_source: source, utm_medium: source === 'paid' ? 'cpc' : source, utm_campaign: campaign }
        : {}),
    };
    if (source === 'referral') Object.assign(landing, { ref: pick(REF_CODES) });
    if (purchased) stage = 'retention';
    else if (n > 0 && source !== 'direct') emit('stage_change', { from: stage, to: 'awareness' }), (stage = 'awareness');
    if (openCart) {
      emit('cart_abandoned', { items: openCart, value: openCart.reduce((s, i) => s + i.price * i.quantity, 0), currency });
      // It reports the session that ended with a cart, not the one it arrives in (CONTRACT §6).
      batch[batch.length - 1].session_id = previous;
      openCart = null;
    }
    page('', 'home', landing);
    if (purchased && chance(0.4)) {
      page('account.html', 'account');
      emit('login', { method: 'password' }, 'retention');
    }
    // Drop-off at each step of the funnel.
    if (chance(purchased ? 0.7 : 0.62)) {
      page('collections/shirts.html', 'collection');
      emit('view_item_list', { item_list_id: 'shirts' }, purchased ? undefined : 'consideration');
      const [id, name, category, price] = pick(PRODUCTS);
      const item = { item_id: id, item_name: name, item_category: category, price, quantity: 1 };
      page(`products/${id}.html`, 'product');
      emit('view_item', { currency, value: price, items: [item] }, purchased ? undefined : 'consideration');
      if (chance(0.38)) {
        emit('add_to_cart', { currency, value: price, items: [item] }, 'conversion');
        openCart = [item];
        if (chance(0.55)) {
          page('cart.html', 'cart');
          emit('view_cart', { currency, value: price, items: [item] });
          page('checkout.html', 'checkout');
          emit('begin_checkout', { currency, value: price, items: [item] });
          if (chance(0.8)) emit('add_shipping_info', { currency, value: price, shipping_tier: 'standard' });
          if (chance(0.78)) {
            emit('add_payment_info', { currency, value: price, payment_type: 'card' });
            page('thank-you.html', 'thank-you');
            const order = `SIM-${ulid(time, rnd).slice(-8)}`;
            emit('purchase', { transaction_id: order, currency, value: price, items: [item] });
            purchased = true;
            purchases++;
            openCart = null;
          }
        }
      }
    } else if (chance(0.3))
      page('search.html', 'search'), emit('search', { search_term: pick(['linen', 'bag', 'scarf']) }, 'consideration');
    if (purchased && chance(0.25)) {
      page('nps.html', 'nps');
      const score = Math.min(10, Math.floor(rnd() * 6) + (chance(0.6) ? 5 : 0));
      emit('nps_response', { score }, score >= 9 ? 'advocacy' : undefined);
    }
    if (purchased && chance(0.12)) page('referral.html', 'referral'), emit('referral_share', { method: 'copy' }, 'advocacy');
    if (purchased && chance(0.1)) page('review.html', 'review'), emit('write_review', { rating: 5 }, 'advocacy');
    emit('page_leave', { engaged_ms: Math.round(2000 + rnd() * 30000) });
    if (batch.length) batches.push(batch);
    previous = session;
    // Next visit: hours to days later.
    time += Math.floor(3_600_000 * (2 + rnd() * 96));
  }
  return { batches, events, purchases };
};
