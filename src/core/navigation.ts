import { listen } from '../lib/listen';

/**
 * Single-page-app navigation: calls `fn` when the path or query changed (and the hash, if asked), after
 * pushState, replaceState or popstate. Routers call replaceState to store state on every scroll or keystroke;
 * comparing the URL first is what keeps those from becoming phantom page views.
 */
export const onNavigate = (fn: () => void, withHash?: boolean): (() => void) => {
  const key = () => location.pathname + location.search + (withHash ? location.hash : '');
  let last = key();
  const check = () => {
    const now = key();
    if (now != last) (last = now), fn();
  };
  const h = history;
  /** Wraps a history method to check after it; returns the unwrap. */
  const wrap = (name: 'pushState' | 'replaceState') => {
    const original = h[name];
    const wrapper = (h[name] = function (this: History, ...args: any[]) {
      const result = original.apply(this, args as any);
      try {
        check();
      } catch {}
      return result;
    } as any);
    // Unwrap only if nobody wrapped on top of us since; otherwise their wrapper would be lost.
    return () => h[name] === wrapper && (h[name] = original);
  };
  const offs = [
    wrap('pushState'),
    wrap('replaceState'),
    listen(window, 'popstate', check),
    withHash ? listen(window, 'hashchange', check) : () => {},
  ];
  return () => offs.forEach((off) => off());
};
