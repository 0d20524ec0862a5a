/**
 * `cart(options?)`: keeps the visitor's cart from `add_to_cart` and `remove_from_cart` events (see
 * `cart-base.ts`), with the opt-in shop adapters `shopify`, `woocommerce` and their `currency` (see
 * `cart-adapters.ts`).
 */
import type { Plugin } from '../types';
import { cartBase, type CartOptions } from './cart-base';
import { cartAdapters } from './cart-adapters';

export type { CartOptions };

export const cart = (options: CartOptions = {}): Plugin => {
  if (!options.shopify && !options.woocommerce) return cartBase(options);
  const a = cartAdapters(options);
  const b = cartBase(options, (ctx) => a.setup!(ctx) as () => void);
  // The adapters' beforeSend after the cart's own: it drops the second report of one add.
  return { ...b, beforeSend: (e) => a.beforeSend!(b.beforeSend!(e) || e) };
};
