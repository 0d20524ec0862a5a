/**
 * `cart(options?)`: keeps the visitor's cart from `add_to_cart` and `remove_from_cart` events.
 *
 * - Lines are keyed by `item_id` + `item_variant`; adds sum quantities (default 1), a remove
 *   subtracts its quantity (no quantity: the whole line goes). A line keeps GA4's item keys
 *   (`item_id`, `item_name`, `item_brand`, `item_category`, `item_variant`, `price`, `quantity`);
 *   at most 50 lines.
 * - `view_cart` with no `items` gets the kept `items`, `value` and `currency`.
 * - `purchase` empties the cart.
 * - When a new session starts and the ended one left items in the cart, it emits one
 *   `cart_abandoned` `{items, value, currency}` carrying the ended session's `session_id`, and
 *   empties the cart.
 *
 * Options (adapters are off by default: they watch the shop's own requests and events):
 * - `shopify: true`: Shopify AJAX cart adds (fetch or XMLHttpRequest to `/cart/add.js` or
 *   `/cart/add` answered with JSON) become `add_to_cart` with the added lines as items.
 *   fetch and `XMLHttpRequest.prototype.open` are wrapped only then, and restored on teardown.
 * - `woocommerce: true`: WooCommerce's jQuery `added_to_cart` on `document.body` becomes
 *   `add_to_cart` with the button's `data-product_sku` (or `data-product_id`) and `data-quantity`.
 * - `currency`: currency of adapter adds when the page does not say (Shopify: `Shopify.currency.active`).
 */
import type { Item, Plugin, PluginContext, PluginState } from '../types';
import { ignore } from '../core/safe';

export interface CartOptions {
  shopify?: boolean;
  woocommerce?: boolean;
  currency?: string;
}

/** Persisted: `i` lines, `c` currency, `s` session of the last change. */
interface CartState {
  i: Item[];
  c?: string;
  s?: string;
}

type Add = (items: Item[]) => void;

const ADD = 'add_to_cart';
const ABANDONED = 'cart_abandoned';
const ITEMS = 'items';
const WOO_ADD = 'added_to_cart';
const LINE_KEYS = 'item_id item_name item_brand item_category item_variant price'.split(' ');
const MAX_LINES = 50;
// Shopify themes post to `/cart/add` (with a JSON Accept header) or `/cart/add.js`, maybe under a locale prefix.
const SHOPIFY_ADD = /\/cart\/add(\.js)?([?#]|$)/;

const key = (i: Item) => i.item_id + '\n' + (i.item_variant || '');

/** Cart contents as event props; `value` only when some line has a price. */
const cartProps = (s: CartState | undefined) => {
  let value: number | undefined;
  for (const i of s ? s.i : []) if (i.price != null) value = (value || 0) + i.price * (i.quantity || 1);
  // Round to cents: float sums like 0.1 + 0.2 would otherwise leak into reports.
  // Copies: the core may hold state objects in memory, and a queued event must not change with the cart.
  return { items: s ? s.i.map((i) => ({ ...i })) : [], value: value == null ? value : Math.round(value * 100) / 100, currency: s && s.c };
};

const update = (s: CartState, items: unknown, remove?: boolean) => {
  if (!Array.isArray(items)) return;
  for (const it of items as Item[]) {
    if (!it || it.item_id == null) continue;
    // Only GA4's item keys: the state lives in the tracker's small localStorage record.
    const line: Item = {};
    for (const k of LINE_KEYS) if (it[k] != null) line[k] = it[k];
    line.item_id = '' + it.item_id;
    let q = +(it.quantity as number);
    q = q > 0 ? q : 0;
    const at = s.i.findIndex((x) => key(x) == key(line));
    const old = s.i[at];
    if (!remove) {
      line.quantity = (old ? old.quantity || 0 : 0) + (q || 1);
      old ? (s.i[at] = { ...old, ...line }) : s.i.length < MAX_LINES && s.i.push(line);
    } else if (old) {
      const left = it.quantity == null ? 0 : (old.quantity || 0) - q;
      left > 0 ? (old.quantity = left) : s.i.splice(at, 1);
    }
  }
};

/** Shopify AJAX cart: lines from the `/cart/add.js` answer (one line, or `{items}`), prices in cents. */
const shopify = (add: Add) => {
  const w = window as any;
  const f = w.fetch;
  const X = w.XMLHttpRequest && w.XMLHttpRequest.prototype;
  const open = X && X.open;
  // Checked where the answer arrives: after teardown, requests already under way report nothing.
  let live = 1;
  const onData = (j: any) => {
    const lines: any[] = (j && (j[ITEMS] || [j])) || [];
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

export const cart = (options: CartOptions = {}): Plugin => {
  let st: PluginState<CartState> | undefined;
  return {
    name: 'cart',
    setup(ctx) {
      st = ctx.state<CartState>();
      const s = st;
      ctx.on('event', (e) => {
        const t = e.type;
        const p = e.props;
        if (t == 'purchase') s.set(undefined);
        else if (t == ADD || t == 'remove_from_cart') {
          const c: CartState = s.get() || { i: [] };
          update(c, p[ITEMS], t != ADD);
          if (p.currency) c.c = '' + p.currency;
          c.s = e.session_id;
          s.set(c.i.length ? c : undefined);
        }
      });
      ctx.on('session', ({ previous }) => {
        const c = s.get();
        if (c && c.i.length) {
          s.set(undefined);
          // The core stamps the current session: `beforeSend` moves this to `event.session_id`.
          ctx.track(ABANDONED, { ...cartProps(c), session_id: previous || c.s });
        }
      });
      const add: Add = (items) => {
        const shop = (window as any).Shopify;
        ctx.track(ADD, { ...cartProps({ i: items }), currency: options.currency || (shop && shop.currency && shop.currency.active) });
      };
      const offs = [options.shopify && shopify(add), options.woocommerce && woocommerce(ctx, add)];
      return () => offs.map((o) => o && o());
    },
    beforeSend(e) {
      const p = e.props;
      if (e.type == ABANDONED && p.session_id) {
        e.session_id = '' + p.session_id;
        delete p.session_id;
      }
      if (e.type == 'view_cart' && !p[ITEMS]) {
        const c = st && st.get();
        if (c) Object.assign(p, cartProps(c));
      }
      return e;
    },
  };
};
