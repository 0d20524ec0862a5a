import type { Log } from './log';
import { FAILED } from './codes';

/**
 * Wrap a function so nothing it throws reaches the host page: the error goes to the debug log
 * and the call returns `undefined`.
 */
export const guard =
  <A, B, C, R>(fn: (a: A, b: B, c: C) => R, log: Log, what: string) =>
  // Three fixed parameters, not `...args`: no arguments array per call on hot paths like track() (every public
  // method and listener takes three arguments at most).
  (a?: A, b?: B, c?: C): R | undefined => {
    try {
      return fn(a as A, b as B, c as C);
    } catch (e) {
      log(FAILED, what, e);
    }
  };

/** For promises we start and do not await: an explicit, empty rejection handler. */
export const ignore = (p: Promise<unknown> | undefined): void => {
  p?.catch(() => {});
};

/**
 * `map` by index loop: some pages replace Array.prototype.map/forEach/filter with versions that throw (old
 * Prototype.js and MooTools builds, broken polyfills), and the tracker must still start and send.
 */
export const pluck = <T, R>(list: ArrayLike<T>, fn: (x: T) => R): R[] => {
  const out: R[] = [];
  for (let i = 0; i < list.length; i++) out[i] = fn(list[i]);
  return out;
};
