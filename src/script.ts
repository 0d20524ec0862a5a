/**
 * The script-tag entry (dist/journey.min.js): reads its settings from its own tag's data attributes, replays the
 * calls queued by the stub, and makes `window.journey` both the command function and the tracker's methods.
 * The only module that touches `window` on load.
 */
import type { Plugin, TrackerOptions } from './types';
import { createTracker, type StartableTracker } from './tracker/tracker';
import { createLog } from './lib/log';
import { BAD_RULES_JSON, NO_DATA_LAYER, UNKNOWN_COMMAND, UNKNOWN_PLUGIN } from './lib/codes';
import { cartBase } from './plugins/cart-base';
import { checkout } from './plugins/checkout';
import { referral } from './plugins/referral';

// Keys are lower-case export names without `-`: `dataLayer` and `data-layer` both become `datalayer`.
// Add-on tags carry the rest: the cart adapters (`cart:shopify`, `cart:woocommerce`) in
// journey.cart-adapters.min.js, `dataLayer` in journey.data-layer.min.js.
const PLUGINS: Record<string, (o?: any) => Plugin> = { cart: cartBase, checkout, referral };

const w = window as any;
const stub = w.journey;

// Included twice? The first copy owns window.journey; this one does nothing.
if (!stub?.jt)
  try {
    const tag = document.currentScript || document.querySelector('script[data-endpoint]');
    // `undefined` when absent: the option then takes its default without a debug message.
    const attr = (name: string) => tag?.getAttribute('data-' + name) ?? undefined;
    const debug = attr('debug') != null;
    const log = createLog(debug);
    let rules: unknown;
    try {
      rules = JSON.parse(attr('rules') || '[]');
    } catch {
      log(BAD_RULES_JSON);
    }
    const plugins: Plugin[] = [];
    for (const name of (attr('plugins') ?? 'cart,checkout,referral').toLowerCase().split(',')) {
      // `cart:shopify` turns on a plugin's option: the script tag's way to pass { shopify: true }.
      const [key, option] = name.trim().replace('-', '').split(':');
      const make = PLUGINS[key];
      if (make) plugins.push(make(option && { [option]: true }));
      // Named here, registered by its add-on tag: said under debug when that tag is not on the page.
      else if (key == 'datalayer' && debug)
        // On load: add-on tags come after this one, and may be async.
        w.addEventListener('load', () => document.querySelector('script[src*="data-layer"]') || log(NO_DATA_LAYER));
      else if (key) log(UNKNOWN_PLUGIN, key);
    }
    const tracker = createTracker({
      endpoint: attr('endpoint'),
      site: attr('site'),
      consent: attr('consent'),
      spa: attr('spa') != 'false',
      debug,
      rules,
      plugins,
      _manual: 1,
    } as unknown as TrackerOptions) as StartableTracker;

    const call = (args: ArrayLike<any>) => {
      const [name, ...rest] = Array.from(args);
      const method = (tracker as any)[name];
      return typeof method == 'function' && name[0] != '_' ? method(...rest) : log(UNKNOWN_COMMAND, name);
    };
    // `stage` is a live getter on the tracker: copied as a getter, not as a snapshot.
    const journey = Object.defineProperties((...args: unknown[]) => call(args), {
      ...Object.getOwnPropertyDescriptors(tracker),
      jt: { value: 1 },
    });

    const queued: ArrayLike<unknown>[] = (Array.isArray(stub?.q) && stub.q) || [];
    // Queued consent and identify calls take effect before the automatic first page view (README, "Quickstart: shop owners"); then
    // everything but consent is replayed in order, so each track keeps the user_id it was queued with.
    // Plain loops: some pages patch Array.prototype.filter/forEach to throw, and the tracker must still start.
    for (const a of queued as unknown[][]) if (a[0] == 'consent' || a[0] == 'identify') call(a);
    w.journey = journey;
    tracker._start();
    for (const a of queued as unknown[][]) if (a[0] != 'consent') call(a);
  } catch {
    // Never an exception into the page.
  }
