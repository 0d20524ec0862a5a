import type { Rule } from '../types';

/*
 * Built-in URL shapes of Shopify, WooCommerce, Magento/Adobe Commerce, BigCommerce, PrestaShop
 * and Shopware (stage only). Three combined `re:` rules instead of dozens of globs: bytes count.
 * Tried after the user's rules, in this order, so account/order-status pages win over the
 * `/order` of checkouts. Every rule looks for whole path segments (`^[^?]*` keeps the match out of
 * the query, the look-ahead ends the segment), so /cartoons or /blog/how-to-cart-a-horse are no cart.
 * Left out on purpose: Magento's `<url-key>.html` and BigCommerce's `/<name>/` products (any page
 * looks like that), WooCommerce's `/shop/` (many sites use it for their home), and `/thank-you`
 * (usually a contact form's).
 */
export const defaultRules: Rule[] = [
  {
    // account, login, order history/status: Shopify /account, /<shop id>/orders/<token>;
    // Woo /my-account; Magento /customer/account, /sales/order|guest; BigCommerce /account.php,
    // /login.php; PrestaShop /my-account, /order-history, /order-detail, /guest-tracking, /login.
    match:
      're:^[^?]*/(my-?account|account|\\d+/orders|sales/(order|guest)|order-(history|detail)|guest-tracking|login)(?=[/?.]|$)|controller=(my-account|history|order-detail)',
    stage: 'retention',
  },
  {
    // cart, checkout and thank-you: Shopify /cart, /checkouts/<token>/thank[-_]you; Woo /cart,
    // /basket, /checkout/order-received; Magento /checkout/cart, /checkout/onepage/success;
    // BigCommerce /cart.php, /checkout/order-confirmation, /finishorder.php; PrestaShop /cart,
    // /order, /order-confirmation; Shopware /checkout/cart|confirm|finish.
    match: 're:^[^?]*/(cart|basket|checkouts?|order|order-confirmation|finishorder)(?=[/?.]|$)|controller=(cart|order)',
    stage: 'conversion',
  },
  {
    // product, category and search: Shopify /products, /collections, /search; Woo /product,
    // /product-category|tag, ?s= ?product= ?product_cat=; Magento /catalog/product|category/view,
    // /catalogsearch; BigCommerce /products/<name>.html, /categories, /brands, /search.php;
    // PrestaShop /<id>-<name>.html, /<id>-<category>, /search, ?id_product= ?id_category=;
    // Shopware 6 /detail|navigation/<uuid>, /search.
    match:
      're:^[^?]*/(products?|collections|product-(category|tag)|categories|brands|search|catalogsearch|catalog/(product|category)/view|(detail|navigation)/[0-9a-f]{32}|\\d+(-\\d+)?-[^/?]+\\.html)(?=[/?.]|$)|^(/[a-z]{2})?/\\d+-[a-z][^/?.]*/?(\\?|$)|[?&](s|q|search|search_query|product|product_cat|id_product|id_category)=',
    stage: 'consideration',
  },
];
