import type { Log } from './log';

/**
 * Wrap a function so nothing it throws reaches the host page: the error goes to the debug log
 * and the call returns `undefined`.
 */
export const guard =
  <A extends unknown[], R>(fn: (...args: A) => R, log: Log, what: string) =>
  (...args: A): R | undefined => {
    try {
      return fn(...args);
    } catch (e) {
      log(what, 'failed:', e);
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
