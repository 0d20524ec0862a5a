/**
 * The script-tag entry (dist/journey.min.js): reads its settings from its own tag's data attributes, replays the
 * calls queued by the stub, and makes `window.journey` both the command function and the tracker's methods.
 * The only module that touches `window` on load.
 */
import type { Plugin, Tracker, TrackerOptions } from './types';
import { createTracker, type StartableTracker } from './core/tracker';
import { cart } from './plugins/cart';
import { checkout } from './plugins/checkout';
import { referral } from './plugins/referral';
import { dataLayer } from './plugins/data-layer';

const PLUGINS: Record<string, (o?: any) => Plugin> = { cart, checkout, referral, datalayer: dataLayer, 'data-layer': dataLayer };

const w = window as any;
const stub = w.journey;

// Included twice? The first copy owns window.journey; this one does nothing.
if (!(stub && stub.jt)) {
  try {
    const tag = (document.currentScript || document.querySelector('script[data-endpoint]')) as HTMLScriptElement | null;
    const attr = (name: string) => (tag ? tag.getAttribute('data-' + name) : null);
    const debug = attr('debug') != null;
    const log = (...args: unknown[]) => debug && console.log('[journey]', ...args);
    let rules: unknown = [];
    try {
      rules = JSON.parse(attr('rules') || '[]');
    } catch {
      log('data-rules is not JSON');
    }
    const plugins: Plugin[] = [];
    for (const name of (attr('plugins') ?? 'cart,checkout,referral').split(',')) {
      // `cart:shopify` turns on a plugin's option: the script tag's way to pass { shopify: true }.
      const [key, option] = name.trim().toLowerCase().split(':');
      if (!key) continue;
      PLUGINS[key] ? plugins.push(PLUGINS[key](option ? { [option]: true } : {})) : log('unknown plugin', key);
    }
    const tracker = createTracker({
      endpoint: attr('endpoint') as string,
      site: attr('site') || undefined,
      consent: attr('consent') == 'pending' ? 'pending' : 'granted',
      spa: attr('spa') != 'false',
      debug,
      rules,
      plugins,
      _manual: 1,
    } as TrackerOptions) as StartableTracker;

    const call = (args: ArrayLike<unknown>) => {
      const [name, ...rest] = Array.prototype.slice.call(args) as [string, ...unknown[]];
      const method = (tracker as any)[name];
      return typeof method == 'function' && name[0] != '_' ? method(...rest) : log('unknown command', name);
    };
    const journey = Object.assign((...args: unknown[]) => call(args), tracker, { jt: 1 }) as Tracker & { jt: 1 };
    // `stage` is a live getter on the tracker: Object.assign copied a snapshot.
    Object.defineProperty(journey, 'stage', { get: () => tracker.stage });

    const queued: ArrayLike<unknown>[] = (stub && Array.isArray(stub.q) && stub.q) || [];
    // Queued consent and identify calls take effect before the automatic first page view (contract §2); then
    // everything but consent is replayed in order, so each track keeps the user_id it was queued with.
    const early = (args: ArrayLike<unknown>) => args[0] == 'consent' || args[0] == 'identify';
    queued.filter(early).forEach(call);
    w.journey = journey;
    tracker._start();
    queued.filter((args) => args[0] != 'consent').forEach(call);
  } catch (e) {
    // Never an exception into the page.
  }
}
