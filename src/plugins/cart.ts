/**
 * `cart(options?)`: keeps the visitor's cart from `add_to_cart` and `remove_from_cart` events (see
 * `cart-base.ts`), with the opt-in shop adapters `shopify`, `woocommerce` and their `currency` (see
 * `cart-adapters.ts`).
 */
import type { Plugin } from '../types';
import { cartBase, type CartOptions } from './cart-base';
import { adapt } from './cart-adapters';

export type { CartOptions };

export const cart = (options?: CartOptions): Plugin => cartBase(options, adapt);
