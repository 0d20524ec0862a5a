/**
 * The cart adapters add-on for the script tag (dist/journey.cart-adapters.min.js), added after the main tag. It
 * turns on the adapters the main tag names in `data-plugins` (`cart:shopify`, `cart:woocommerce`), or both when
 * it names none.
 */
import { cartAdapters } from './plugins/cart-adapters';
import { register } from './register';

register(() => {
  const tag = document.querySelector('script[data-endpoint]');
  const names = ((tag && tag.getAttribute('data-plugins')) || '').toLowerCase();
  const shopify = /cart:shopify/.test(names);
  const woocommerce = /cart:woocommerce/.test(names);
  const both = !shopify && !woocommerce;
  return cartAdapters({ shopify: shopify || both, woocommerce: woocommerce || both });
});
