// A CommonJS app (require) compiled against the packed package (see ../pack.mjs).
import { createTracker, type Tracker } from 'journey-tracker';

type IsAny<T> = 0 extends 1 & T ? true : false;
const typed: IsAny<typeof createTracker> = false;

const tracker: Tracker = createTracker({ endpoint: '/collect' });
tracker.track('search', { search_term: 'boots' });

// @ts-expect-error: a misspelt option is an error, which it is not when createTracker is `any`.
createTracker({ endpiont: '/collect' });

export { typed };
