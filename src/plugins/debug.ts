/**
 * `debug()`: the tracker tells what it does, on the console (README, "Debugging"). Script tag: the add-on tag
 * dist/journey.debug.min.js; npm: `plugins: [debug()]` while developing. A plugin of its own, not `debug: true`,
 * so that its texts never grow the main tag.
 *
 * - `console.info`: each page view with its URL and stage, each stage change, each other event with its props,
 *   each batch the browser sent to the endpoint with the answer's status and size (Resource Timing: nothing of the
 *   page's is patched).
 * - `console.warn`, naming the element and suggesting the close match: a `data-*` attribute a letter or two away
 *   from a `data-journey-*` one (`data-journey-evnt`), and an unknown setting on the main tag (`data-endpiont`).
 */
import type { Plugin } from '../types';

const P = '[journey]';
const J = 'data-journey-';
// Lists built in the functions that use them, not at module level: the npm entry's bundle keeps top-level calls
// even for apps that never import debug().
/** The attributes of theme markup (README, "Quickstart: theme authors"); `prop-<key>` is any key. */
const markup = () => 'stage event view props fields share'.split(' ').map((n) => J + n);
/** The main tag's settings (README, "Quickstart: shop owners"). */
const settings = () => 'endpoint site consent rules plugins spa debug'.split(' ').map((n) => 'data-' + n);

/** Levenshtein distance: edits from `a` to `b`. */
export const distance = (a: string, b: string): number => {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + +(a[i - 1] != b[j - 1]));
    row = next;
  }
  return row[b.length];
};

/** The known name one or two edits away from `name`, if one is. */
export const closeMatch = (name: string, known: string[]): string | undefined =>
  known.find((k) => k != name && distance(name, k) <= 2);

/**
 * Warnings for the markup under `root` and the main script tag: misspelt `data-journey-*` attributes (and
 * `data-*` ones a letter or two from them) and unknown `data-*` settings on the tag. Returns how many.
 */
export const checkMarkup = (root: Document): number => {
  let n = 0;
  const MARKUP = markup();
  const SETTINGS = settings();
  const warn = (...a: unknown[]) => (n++, console.warn(P, ...a));
  const tag = root.querySelector('script[src*="journey"][data-endpoint], script[src*="journey.min"]');
  for (const el of Array.from(root.querySelectorAll('*'))) {
    for (const { name } of Array.from(el.attributes)) {
      if (!name.indexOf('data-') && MARKUP.indexOf(name) < 0 && name.indexOf(J + 'prop-')) {
        const match = closeMatch(name, MARKUP);
        if (el == tag) {
          if (SETTINGS.indexOf(name) < 0) warn('unknown setting', name, 'on', el, 'ignored' + hint(closeMatch(name, SETTINGS)));
        } else if (match || !name.indexOf(J)) warn('unknown attribute', name, 'on', el, 'ignored' + hint(match));
      }
    }
  }
  return n;
};

const hint = (match?: string) => (match ? `: did you mean ${match}?` : '');

export interface DebugOptions {
  /** The tracker's endpoint: batches sent to it are logged (the add-on tag reads it from the main tag). */
  endpoint?: string;
}

export const debug = (options: DebugOptions = {}): Plugin => ({
  name: 'debug',
  setup(ctx) {
    const info = (...a: unknown[]) => console.info(P, ...a);
    ctx.on('page', (e) => info('page view', e.url, 'stage:', e.stage));
    ctx.on('stage', (c) => info('stage', c.from, '→', c.to));
    // Page views and stage changes have lines of their own.
    ctx.on('event', (e) => !/^(page_view|stage_change)$/.test(e.type) && info(e.type, e.props, 'stage:', e.stage));
    const check = () => checkMarkup(document);
    document.readyState == 'loading' ? ctx.listen(document, 'DOMContentLoaded', check) : check();
    // Batches as the browser saw them (Resource Timing): a beacon's answer never reaches the page.
    try {
      if (!options.endpoint) return;
      const endpoint = new URL(options.endpoint, location.href).href;
      const seen = new PerformanceObserver((list) => {
        for (const r of list.getEntries() as PerformanceResourceTiming[])
          if (r.name == endpoint)
            info(
              'batch by',
              r.initiatorType,
              'to',
              r.name,
              'answer:',
              (r as any).responseStatus || 'unknown',
              r.encodedBodySize + ' B',
            );
      });
      seen.observe({ type: 'resource' });
      return () => seen.disconnect();
    } catch {
      // No PerformanceObserver: the rest still runs.
    }
  },
});
