/**
 * The web-vitals add-on for the script tag (dist/journey.web-vitals.min.js), added with a second script tag after
 * the first. It registers itself through `window.journey`: directly when the tracker has loaded, else through the
 * stub's queue, which the tracker replays in order.
 */
import { webVitals } from './plugins/web-vitals';

const w = window as any;
try {
  (w.journey = w.journey || function (...args: unknown[]) {
    (w.journey.q = w.journey.q || []).push(args);
  })('use', webVitals());
} catch {}
