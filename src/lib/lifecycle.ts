/**
 * Page lifecycle, the bfcache-friendly way: `visibilitychange` to hidden (the last event mobile browsers reliably
 * fire), `pagehide`, and `pageshow` for back/forward cache restores. Never `unload`/`beforeunload`: they make a
 * page ineligible for the back/forward cache in Firefox and (unload) Chrome.
 */
import { listen } from './listen';

export const onHidden = (fn: () => void) =>
  listen(document, 'visibilitychange', () => document.visibilityState == 'hidden' && fn());

/** Runs `fn` once the page is shown: immediately, or when a prerendered page is activated. */
export const whenActivated = (fn: () => void): void => {
  (document as any).prerendering ? listen(document, 'prerenderingchange', fn) : fn();
};
