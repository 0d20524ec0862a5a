/**
 * `dataLayer(options?)`: GA4 events that the shop already pushes to `window.dataLayer`
 * (Google Tag Manager, gtag.js) become journey events, with no other change to the shop.
 *
 * - Both shapes: `dataLayer.push({event: 'add_to_cart', ecommerce: {...}})` and gtag's
 *   `gtag('event', 'add_to_cart', {...})` (which pushes its `arguments` object).
 * - Types: GA4's e-commerce events (`view_item`, `view_item_list`, `select_item`,
 *   `add_to_cart`, `remove_from_cart`, `view_cart`, `begin_checkout`, `add_shipping_info`,
 *   `add_payment_info`, `purchase`, `refund`, `add_to_wishlist`, `view_promotion`,
 *   `select_promotion`) and `search`, `login`, `sign_up`, `share`, `generate_lead`; every other
 *   entry is ignored, and so is an entry with `journey: true` (mark entries you mirror from
 *   journey-tracker into the dataLayer so they do not come back).
 * - Props: the `ecommerce` object merged over the entry's other keys, and of those only GA4's
 *   e-commerce parameters (`KEEP`: `currency`, `value`, `transaction_id`, `items`, `coupon`…) and,
 *   in `items`, the item keys GA4 defines. Everything else stays on the page: shop plugins put the
 *   buyer's name, address and order key beside the purchase (gtm4wp's `orderData`), and custom
 *   item parameters go too. Numeric strings in `value`, `tax`, `shipping`, `price`, `quantity`,
 *   `discount` become numbers and numeric `item_id`s strings.
 * - Entries already in the array are mapped at setup, later ones as they are pushed (its `push`
 *   is wrapped; teardown restores it). Before the first page view they wait for it, so the page
 *   view opens the session. An entry is mapped at most once; junk never throws.
 * - Pages whose URL rules or data attributes emit the same events get them twice: turn one off.
 *
 * Options: `name`: the array's global name, default `dataLayer`.
 */
import type { Plugin, Props } from '../types';

export interface DataLayerOptions {
  name?: string;
}

const TYPES =
  'view_item view_item_list select_item add_to_cart remove_from_cart view_cart begin_checkout add_shipping_info add_payment_info purchase refund add_to_wishlist view_promotion select_promotion search login sign_up share generate_lead'.split(
    ' ',
  );
// GA4's e-commerce event parameters and item keys (developers.google.com/analytics/devguides/collection/ga4/reference/events),
// one list for both levels: an allow-list, so no shop's extra keys can carry personal data through.
const KEEP =
  /^(currency|value|tax|shipping|coupon|affiliation|transaction_id|customer_type|payment_type|shipping_tier|search_term|method|content_type|lead_source|items|price|quantity|discount|index|location_id|item_(id|name|brand|variant|list_(id|name)|category\d?)|(creative|promotion)_(name|slot|id))$/;
const NUMERIC = /^(value|tax|shipping|price|quantity|discount)$/;

/** GA4 params to props; one level of `items`. */
const clean = (o: any): Props => {
  const r: Props = {};
  // Own keys only: a page's Object.prototype additions are not GA4 params.
  for (const k of Object.keys((typeof o == 'object' && o) || 0)) {
    let v = o[k];
    if (!KEEP.test(k)) continue;
    if (k == 'items') {
      if (!Array.isArray(v)) continue;
      v = v.filter((i) => i && typeof i == 'object').map(clean);
    }
    // Parameters are plain values: an object or function under a GA4 name is not one.
    else if (Object(v) === v) continue;
    else if (NUMERIC.test(k) && typeof v == 'string' && v.trim() && isFinite(+v)) v = +v;
    else if (k == 'item_id' && typeof v == 'number') v = '' + v;
    r[k] = v;
  }
  return r;
};

export const dataLayer = (options: DataLayerOptions = {}): Plugin => ({
  name: 'dataLayer',
  setup(ctx) {
    const w = window as any;
    const n = options.name || 'dataLayer';
    // Create it as GTM's snippet does (`dataLayer = dataLayer || []`): later tags reuse our array.
    const a = (w[n] = w[n] || []);
    if (!Array.isArray(a)) return ctx.log('no array', n);
    const seen = new WeakSet<object>();
    const held: unknown[] = [];
    let live = 1;
    // No session yet: the first page view is still to come. It must open the session (it carries
    // the visit's source), so entries wait for it.
    let ready = !!ctx.session;
    ctx.on('page', () => {
      ready = true;
      held.splice(0).forEach(map);
    });
    const map = (x: any) => {
      if (!ready) return held.push(x);
      try {
        if (!live || !x || typeof x != 'object' || seen.has(x) || x.journey) return;
        seen.add(x);
        // gtag() pushes its `arguments` object: ['event', type, params].
        const gtag = x[0] == 'event';
        const type = gtag ? x[1] : x.event;
        const e = x.ecommerce;
        if (TYPES.indexOf(type) >= 0) ctx.track(type, clean(gtag ? x[2] : { ...x, ...(e && typeof e == 'object' ? e : 0) }));
      } catch (err) {
        ctx.log('skip', err);
      }
    };
    const push = a.push;
    const pushed = (...args: unknown[]) => {
      const r = push.apply(a, args);
      args.forEach(map);
      return r;
    };
    a.forEach(map);
    a.push = pushed;
    return () => {
      live = 0;
      // GTM wraps push too: if it wrapped ours, stay in its chain, switched off by `live`.
      if (a.push === pushed) a.push = push;
    };
  },
});
