/**
 * The cart plugin without its shop adapters: what the script tag bundles (the adapters ship as the
 * `journey.cart-adapters.min.js` add-on, see `cart-adapters.ts`). `cart()` in `cart.ts` is this plus the adapters.
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
 */
import type { Line } from '../events';
import type { Plugin, PluginContext, PluginState } from '../types';

export interface CartOptions {
  shopify?: boolean;
  woocommerce?: boolean;
  currency?: string;
}

/** Persisted: `i` lines, `c` currency, `s` session of the last change. */
interface CartState {
  i: Line[];
  c?: string;
  s?: string;
}

export const ADD = 'add_to_cart';
const ABANDONED = 'cart_abandoned';
const LINE_KEYS = /* @__PURE__ */ 'item_id item_name item_brand item_category item_variant price'.split(' ');

const key = (i: Line) => i.item_id + '\n' + (i.item_variant || '');

/** Cart contents as event props; `value` only when some line has a price. */
export const cartProps = (lines: Line[], currency?: string) => {
  let value: number | undefined;
  for (const i of lines) if (i.price != null) value = (value || 0) + i.price * (i.quantity || 1);
  // Round to cents: float sums like 0.1 + 0.2 would otherwise leak into reports.
  // Copies: the core may hold state objects in memory, and a queued event must not change with the cart.
  return { items: lines.map((i) => ({ ...i })), value: value == null ? value : Math.round(value * 100) / 100, currency };
};

const update = (s: CartState, items: unknown, remove?: boolean) => {
  if (!Array.isArray(items)) return;
  for (const it of items as Line[]) {
    if (!it || it.item_id == null) continue;
    // Only GA4's item keys: the state lives in the tracker's small localStorage record.
    const line: Line = {};
    for (const k of LINE_KEYS) if (it[k] != null) line[k] = it[k];
    line.item_id = '' + it.item_id;
    const q = +(it.quantity as number) > 0 ? +(it.quantity as number) : 0;
    const at = s.i.findIndex((x) => key(x) == key(line));
    const old = s.i[at];
    if (!remove) {
      line.quantity = (old ? old.quantity || 0 : 0) + (q || 1);
      old ? (s.i[at] = { ...old, ...line }) : s.i.length < 50 && s.i.push(line);
    } else if (old) {
      const left = it.quantity == null ? 0 : (old.quantity || 0) - q;
      left > 0 ? (old.quantity = left) : s.i.splice(at, 1);
    }
  }
};

/** `adapt`: started in setup (the shop adapters of `cart()`); returns their teardown. */
export const cartBase = (options: CartOptions = {}, adapt?: (ctx: PluginContext, o: CartOptions) => () => void): Plugin => {
  let st: PluginState<CartState> | undefined;
  return {
    name: 'cart',
    setup(ctx) {
      const s = (st = ctx.state<CartState>());
      ctx.on('event', (e) => {
        const t = e.type;
        const p = e.props;
        if (t == 'purchase') s.set(undefined);
        else if (t == ADD || t == 'remove_from_cart') {
          const c: CartState = s.get() || { i: [] };
          update(c, p.items, t != ADD);
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
          ctx.track<string>(ABANDONED, { ...cartProps(c.i, c.c), session_id: previous || c.s });
        }
      });
      return adapt && adapt(ctx, options);
    },
    beforeSend(e) {
      const p = e.props;
      if (e.type == ABANDONED && p.session_id) {
        e.session_id = '' + p.session_id;
        delete p.session_id;
      }
      if (e.type == 'view_cart' && !p.items) {
        const c = st && st.get();
        if (c) Object.assign(p, cartProps(c.i, c.c));
      }
      return e;
    },
  };
};
