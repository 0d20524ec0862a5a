/**
 * The npm entry's `createTracker`: the core's, made safe for server rendering and for frameworks that create a
 * tracker more than once per page (README, "React, Next.js and Vue"). The script tag does not need it (it guards
 * against loading twice and never runs on a server), so these bytes stay out of it.
 *
 * - No `window` (server rendering, a Node import): the inert tracker, silently.
 * - A tracker for the same endpoint and site is live on this page: that one is handed back (said under `debug`),
 *   so two components never double clicks, page views and leaves. `destroy()` on it ends it for both.
 * - A page view for the same endpoint, site and URL was sent on this page by an earlier tracker (React
 *   StrictMode and hot reloading: create, destroy, create): the new tracker's first page view is not sent.
 */
import type { Plugin, Tracker, TrackerOptions } from '../types';
import { createTracker as create, inert } from './tracker';
import { createLog } from '../lib/log';
import { warnUnknownOptions } from '../core/unknown-options';

interface Entry {
  /** The live tracker, if one is. */
  t?: Tracker;
  /** The URL of the latest page view sent for this endpoint and site on this page. */
  u?: string;
}

// Module state, not a global: a page (and a hot reload, which re-evaluates the app's modules, not this package)
// has one copy of it per copy of the package.
const entries: Record<string, Entry> = {};

export const createTracker = (options: TrackerOptions): Tracker => {
  if (typeof window == 'undefined' || typeof document == 'undefined') return inert();
  let entry: Entry;
  let t: Tracker;
  try {
    if (options.debug) warnUnknownOptions(options);
    const key = options.endpoint + ' ' + (options.site || '');
    entry = entries[key] ||= {};
    if (entry.t) return (createLog(!!options.debug)('second tracker: the first is used', key), entry.t);
    let first = 1;
    const once: Plugin = {
      name: 'once',
      beforeSend(e) {
        if (e.type == 'page_view') {
          const seen = first && entry.u == e.url;
          first = 0;
          if (seen) return null;
          entry.u = e.url;
        }
      },
    };
    t = create({ ...options, plugins: [once].concat(options.plugins || []) });
  } catch {
    // Options that throw when read (a Proxy, a getter): the core says what it says about them.
    return create(options);
  }
  // Inert trackers too: a second call with the same options would be inert as well.
  entry.t = t;
  const destroy = t.destroy;
  t.destroy = () => {
    if (entry.t == t) entry.t = undefined;
    destroy();
  };
  return t;
};
