/**
 * The cart adapters add-on for the script tag (dist/journey.cart-adapters.min.js), added with a second script tag
 * after the first. It turns on the adapters the main tag names in `data-plugins` (`cart:shopify`,
 * `cart:woocommerce`), or both when it names none, and registers through `window.journey` or the stub's queue.
 */
import { cartAdapters } from './plugins/cart-adapters';

const w = window as any;
try {
  const tag = document.querySelector('script[data-endpoint]');
  const names = ((tag && tag.getAttribute('data-plugins')) || '').toLowerCase();
  const shopify = /cart:shopify/.test(names);
  const woocommerce = /cart:woocommerce/.test(names);
  const both = !shopify && !woocommerce;
  (w.journey = w.journey || function (...args: unknown[]) {
    (w.journey.q = w.journey.q || []).push(args);
  })('use', cartAdapters({ shopify: shopify || both, woocommerce: woocommerce || both }));
} catch {}
