// An ES module app compiled against the packed package (see ../pack.mjs).
import { createTracker, cart, type Item, type Stage, type Tracker } from 'journey-tracker';

type IsAny<T> = 0 extends 1 & T ? true : false;
// Declarations that fail to resolve make `createTracker` `any` under skipLibCheck, silently.
const typed: IsAny<typeof createTracker> = false;

const tracker: Tracker = createTracker({ endpoint: '/collect', plugins: [cart()] });
const stage: Stage = tracker.stage;
const item: Item = { item_id: 'SKU-1', price: 19.9, quantity: 1 };
tracker.track('add_to_cart', { items: [item], value: 19.9, currency: 'EUR' });
// @ts-expect-error: the published declarations keep the events' props (`search_trem`).
tracker.track('search', { search_trem: 'boots' });

// @ts-expect-error: a misspelt option is an error, which it is not when createTracker is `any`.
createTracker({ endpiont: '/collect' });

// An app's own events, declared once, are checked like the built-in ones.
declare module 'journey-tracker' {
  interface Events {
    quote_requested: { sku: string };
  }
}
tracker.track('quote_requested', { sku: 'A' });
// @ts-expect-error: `skuu`
tracker.track('quote_requested', { skuu: 'A' });

export { typed, stage };
