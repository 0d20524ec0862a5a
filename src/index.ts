/** The npm entry: named exports only, no side effects. */
export { createTracker } from './tracker/shared';
export { cart } from './plugins/cart';
export { checkout } from './plugins/checkout';
export { referral, referralLink } from './plugins/referral';
export { dataLayer } from './plugins/data-layer';
export { webVitals } from './plugins/web-vitals';
export { debug } from './plugins/debug';
export { classifySource } from './stages/source';
export type { DebugOptions } from './plugins/debug';
export type * from './types';
export type { Events, EventName, Item, ItemFields, Currency, CommerceProps, OrderProps, PropsOf, Track } from './events';
