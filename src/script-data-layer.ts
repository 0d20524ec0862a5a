/**
 * The dataLayer add-on for the script tag (dist/journey.data-layer.min.js), added after the main tag: GA4
 * e-commerce pushes to `window.dataLayer` become journey events. Turned on when the main tag names `dataLayer` (or
 * `data-layer`) in `data-plugins`, as the cart adapters are by `cart:shopify`.
 */
import { dataLayer } from './plugins/data-layer';
import { register } from './register';

try {
  const tag = document.querySelector('script[data-endpoint]');
  if (/data-?layer/i.test(tag?.getAttribute('data-plugins') || '')) register(dataLayer);
} catch {
  // Never an exception into the page.
}
