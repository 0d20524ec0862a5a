/**
 * Cart adapters, off by default: they watch the shop's own requests and events and emit `add_to_cart`, which
 * the cart plugin then keeps like any other. Part of `cart({shopify, woocommerce})` on npm; for the script tag
 * they ship as the add-on `dist/journey.cart-adapters.min.js` (see `script-cart-adapters.ts`), so shops that
 * need none do not download them.
 *
 * - `shopify`: Shopify AJAX cart adds (`adapter-shopify.ts`).
 * - `woocommerce`: WooCommerce AJAX adds and classic product forms (`adapter-woocommerce.ts`).
 * - `currency`: currency of adapter adds, over what the page says (Shopify: `Shopify.currency.active`).
 * An add the page also reports (a data layer, an attribute, `track()`) is sent once (`cart-pairs.ts`).
 */
import type { Line } from '../events';
import type { Plugin } from '../types';
import { ADD, cartProps, type CartOptions } from './cart-base';
import { createPairs, MARK } from './cart-pairs';
import { shopify } from './adapter-shopify';
import { woocommerce } from './adapter-woocommerce';

/** How an adapter reports an add: the items, every id the shop gives each of them, the page's currency. */
export type Add = (items: Line[], ids: unknown[][], currency?: string) => void;

/** The adapters as a plugin: the script-tag add-on registers it, and `cart()` chains it after its own hooks. */
export const cartAdapters = (o: CartOptions): Plugin => {
  let pairs = createPairs();
  return {
    name: 'cartAdapters',
    setup(ctx) {
      pairs = createPairs(ctx.log);
      const add: Add = (items, ids, currency) => {
        const shop = (window as any).Shopify;
        const c = o.currency || currency || (shop && shop.currency && shop.currency.active);
        ctx.track<string>(ADD, { ...cartProps(items, c), [MARK]: pairs.mark(([] as unknown[]).concat(...ids)) });
      };
      const offs = [o.shopify && shopify(add), o.woocommerce && woocommerce(ctx, add)];
      return () => offs.map((f) => f && f());
    },
    beforeSend: (e) => pairs.check(e),
  };
};
