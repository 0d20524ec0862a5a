// An ES module app compiled against the packed package (see ../pack.mjs).
import { createTracker, cart, type Item, type Stage, type Tracker } from 'journey-tracker';

type IsAny<T> = 0 extends 1 & T ? true : false;
// Declarations that fail to resolve make `createTracker` `any` under skipLibCheck, silently.
const typed: IsAny<typeof createTracker> = false;

const tracker: Tracker = createTracker({ endpoint: '/collect', plugins: [cart()] });
const stage: Stage = tracker.stage;
const item: Item = { item_id: 'SKU-1', price: 19.9, quantity: 1 };
tracker.track('add_to_cart', { items: [item], value: 19.9, currency: 'EUR' });

// @ts-expect-error: a misspelt option is an error, which it is not when createTracker is `any`.
createTracker({ endpiont: '/collect' });

export { typed, stage };
