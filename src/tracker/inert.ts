import type { Tracker } from '../types';

export const noop = () => {};

/** A tracker that does nothing: no endpoint, a privacy signal, a failed start, or no `window`. */
export const inert = (): Tracker => ({
  stage: 'awareness',
  track: noop,
  page: noop,
  identify: noop,
  consent: noop,
  on: () => noop,
  use: noop,
  flush: () => Promise.resolve(),
  destroy: noop,
});
