/**
 * `webVitals()`: LCP, INP, CLS, FCP and TTFB from Google's web-vitals library as `web_vital`
 * events `{name, value, rating, id}`; like every event they carry the stage and the page.
 *
 * - `value`: milliseconds rounded to whole numbers; CLS (a unitless score) to 4 decimals.
 * - `id` is web-vitals' metric id: a metric may be reported again (CLS when the page is hidden
 *   a second time, all of them after a bfcache restore); the latest report per `id` is the value.
 * - Outside the core's size budget: the script tag gets it from its own file
 *   (`dist/journey.web-vitals.min.js`). web-vitals has no unsubscribe: teardown stops the reports.
 * No options.
 */
import { onCLS, onFCP, onINP, onLCP, onTTFB, type MetricType } from 'web-vitals';
import type { Plugin } from '../types';

export const webVitals = (): Plugin => ({
  name: 'webVitals',
  setup(ctx) {
    let live = 1;
    const report = (m: MetricType) => {
      const v = m.value;
      live &&
        ctx.track('web_vital', {
          name: m.name,
          value: m.name == 'CLS' ? Math.round(v * 1e4) / 1e4 : Math.round(v),
          rating: m.rating,
          id: m.id,
        });
    };
    for (const on of [onLCP, onINP, onCLS, onFCP, onTTFB]) {
      try {
        on(report);
      } catch (e) {
        ctx.log('webVitals:', e);
      }
    }
    return () => {
      live = 0;
    };
  },
});
