/**
 * Cart adapters, off by default: they watch the shop's own requests and events and emit `add_to_cart`, which
 * the cart plugin then keeps like any other. Part of `cart({shopify, woocommerce})` on npm; for the script tag
 * they ship as the add-on `dist/journey.cart-adapters.min.js` (see `script-cart-adapters.ts`), so shops that
 * need none do not download them.
 *
 * - `shopify`: Shopify AJAX cart adds (fetch or XMLHttpRequest to `/cart/add.js` or `/cart/add` answered with
 *   JSON) become `add_to_cart` with the added lines as items. fetch and `XMLHttpRequest.prototype.open` are
 *   wrapped only then, and restored on teardown.
 * - `woocommerce`: WooCommerce's jQuery `added_to_cart` on `document.body` becomes `add_to_cart` with the
 *   button's `data-product_sku` (or `data-product_id`) and `data-quantity`.
 * - `currency`: currency of adapter adds when the page does not say (Shopify: `Shopify.currency.active`).
 */
import type { Item, Plugin, PluginContext } from '../types';
import { ignore } from '../core/safe';
import { ADD, cartProps, type CartOptions } from './cart-base';

type Add = (items: Item[]) => void;

const WOO_ADD = 'added_to_cart';
// Shopify themes post to `/cart/add` (with a JSON Accept header) or `/cart/add.js`, maybe under a locale prefix.
const SHOPIFY_ADD = /\/cart\/add(\.js)?([?#]|$)/;

/** Shopify AJAX cart: lines from the `/cart/add.js` answer (one line, or `{items}`), prices in cents. */
const shopify = (add: Add) => {
  const w = window as any;
  const f = w.fetch;
  const X = w.XMLHttpRequest && w.XMLHttpRequest.prototype;
  const open = X && X.open;
  // Checked where the answer arrives: after teardown, requests already under way report nothing.
  let live = 1;
  const onData = (j: any) => {
    const lines: any[] = (j && (j.items || [j])) || [];
    live &&
      add(
        lines
          .filter((l) => l && l.id != null)
          .map((l) => ({
            item_id: '' + (l.sku || l.product_id || l.id),
            item_name: l.product_title || l.title,
            item_variant: l.variant_title || undefined,
            item_brand: l.vendor,
            item_category: l.product_type || undefined,
            price: typeof l.price == 'number' ? l.price / 100 : undefined,
            quantity: l.quantity,
          })),
      );
  };
  const fetched = (...a: any[]) => {
    const p = f(...a);
    try {
      if (SHOPIFY_ADD.test('' + ((a[0] && a[0].url) || a[0])))
        ignore(p.then((r: Response) => r.ok && r.clone().json().then(onData)));
    } catch (e) {}
    return p;
  };
  // A prototype method needs `this`: the one place we use it, so every XHR of the page keeps working.
  function opened(this: XMLHttpRequest, ...a: any[]) {
    try {
      if (SHOPIFY_ADD.test('' + a[1]))
        this.addEventListener('load', () => {
          try {
            // responseText throws for a non-text responseType: caught, that add goes unseen.
            this.status < 300 && onData(JSON.parse(this.responseText));
          } catch (e) {}
        });
    } catch (e) {}
    return open.apply(this, a);
  }
  if (f) w.fetch = fetched;
  if (open) X.open = opened;
  return () => {
    live = 0;
    // Someone may have wrapped ours since: then we stay in their chain, switched off by `live`.
    if (w.fetch === fetched) w.fetch = f;
    if (open && X.open === opened) X.open = open;
  };
};

/** WooCommerce triggers `added_to_cart` through jQuery only, so native listeners never see it. */
const woocommerce = (ctx: PluginContext, add: Add) => {
  let off: (() => void) | undefined;
  const h = (_e: unknown, _f: unknown, _h: unknown, b: any) => {
    const d = (b && b[0] && b[0].dataset) || {};
    const id = d.product_sku || d.product_id;
    add(id ? [{ item_id: id, quantity: +d.quantity || 1 }] : []);
  };
  const on = () => {
    const $ = (window as any).jQuery;
    if (!off && $) {
      $(document.body).on(WOO_ADD, h);
      off = () => $(document.body).off(WOO_ADD, h);
    }
  };
  on();
  // jQuery may load after us (deferred theme scripts).
  if (!off) ctx.listen(window, 'load', on);
  return () => off && off();
};

/** Starts the adapters `o` turns on; returns their teardown. */
export const adapt = (ctx: PluginContext, o: CartOptions): (() => void) => {
  const add: Add = (items) => {
    const shop = (window as any).Shopify;
    const p = cartProps(items, o.currency || (shop && shop.currency && shop.currency.active));
    ctx.track(ADD, p);
  };
  const offs = [o.shopify && shopify(add), o.woocommerce && woocommerce(ctx, add)];
  return () => offs.map((f) => f && f());
};

/** The adapters as a plugin of their own, for the script-tag add-on (the bundle's cart keeps what they add). */
export const cartAdapters = (o: CartOptions): Plugin => ({ name: 'cartAdapters', setup: (ctx) => adapt(ctx, o) });
