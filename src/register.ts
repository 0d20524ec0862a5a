import type { Plugin } from './types';

/**
 * How an add-on tag (a second script tag after the first) registers its plugin: through `window.journey` when
 * the tracker has loaded, else through the stub's queue, which the tracker replays in order. Never throws.
 */
export const register = (plugin: () => Plugin): void => {
  const w = window as any;
  try {
    (w.journey =
      w.journey ||
      function (...args: unknown[]) {
        (w.journey.q = w.journey.q || []).push(args);
      })('use', plugin());
  } catch {}
};
