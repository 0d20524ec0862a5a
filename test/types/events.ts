/**
 * Type tests of `track()` (README, "Typed events"), checked by `npm run typecheck` (test/tsconfig.json): each
 * `@ts-expect-error` fails the check when the line it marks compiles, so a loosened type is caught.
 */
import type { Currency, EventName, Item, PluginContext, Tracker } from '../../src/index';

declare const tracker: Tracker;
declare const ctx: PluginContext;

// GA4's events and their props, as the README writes them.
tracker.track('add_to_cart', { currency: 'EUR', value: 19.9, items: [{ item_id: 'SKU-1', price: 19.9, quantity: 1 }] });
tracker.track('purchase', {
  transaction_id: 'T-1',
  currency: 'USD',
  value: 30,
  tax: 2,
  shipping: 5,
  items: [{ item_name: 'Shirt' }],
});
tracker.track('search', { search_term: 'linen shirt' });
tracker.track('nps_response', { score: 9 });
tracker.track('view_item_list', { item_list_name: 'Summer', items: [{ item_id: 'A', index: 0 }] });
tracker.track('view_cart');
ctx.track('begin_checkout', { coupon: 'SUMMER', value: 10, currency: 'EUR' });

// Custom events keep free-form props; so does a known name passed as a plain string.
tracker.track('quote_requested', { sku: 'A', anything: [1, 2] });
const name: string = 'add_to_cart';
tracker.track(name, { custom: true });
tracker.track<string>('add_to_cart', { vendor_field: 1 });

// The example: every mistake in it is an error now.
// @ts-expect-error: `value` is a number
tracker.track('add_to_cart', { value: '19.9' });
// @ts-expect-error: `currency` is an ISO 4217 code
tracker.track('add_to_cart', { currency: 'EURO' });
// @ts-expect-error: an item has `item_id` (or `item_name`), not `id`
tracker.track('add_to_cart', { items: [{ id: 'SKU-1' }] });

// Misspelt props of known events.
// @ts-expect-error: `search_trem`
tracker.track('search', { search_trem: 'boots' });
// @ts-expect-error: `transaction`
tracker.track('purchase', { transaction: 'T-1' });
// @ts-expect-error: `scor`
tracker.track('nps_response', { scor: 9 });
// @ts-expect-error: `nps_response` needs its `score`
tracker.track('nps_response', {});
// @ts-expect-error: `pirce` in an item
tracker.track('view_item', { items: [{ item_id: 'A', pirce: 19.9 }] });
// @ts-expect-error: a plugin's ctx.track checks the same
ctx.track('add_to_cart', { valeu: 1 });

// Types users name.
const eur: Currency = 'EUR';
// @ts-expect-error: not a currency code
const euro: Currency = 'euro';
const item: Item = { item_name: 'Shirt', item_variant: 'M', price: 19.9, quantity: 2 };
// @ts-expect-error: an item without item_id or item_name
const bare: Item = { price: 1 };
const custom = { item_id: 'A', color: 'red' } as Item;
const known: EventName = 'add_payment_info';

export { eur, euro, item, bare, custom, known };
