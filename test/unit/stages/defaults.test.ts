import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { compileRules } from '../../../src/stages/rules';
import { defaultRules } from '../../../src/stages/defaults';
import type { Stage } from '../../../src/types';

const match = compileRules(undefined, () => {});
const stageOf = (path: string) => match(new URL(path, 'https://shop.example')).stage;

type Row = [platform: string, path: string, stage: Stage | undefined];

const C = 'consideration';
const V = 'conversion';
const R = 'retention';

const pages: Row[] = [
  // Shopify
  ['Shopify', '/products/classic-tee', C],
  ['Shopify', '/products/classic-tee?variant=4242', C],
  ['Shopify', '/collections/summer/products/classic-tee', C],
  ['Shopify', '/fr/products/classic-tee', C],
  ['Shopify', '/collections/all', C],
  ['Shopify', '/collections', C],
  ['Shopify', '/search?q=tee&options%5Bprefix%5D=last', C],
  ['Shopify', '/cart', V],
  ['Shopify', '/checkouts/cn/Z2NwLXVzLWVhc3Q', V],
  ['Shopify', '/checkouts/c/8c2f0a1b/thank-you', V],
  ['Shopify', '/55512345/checkouts/b1946ac92492d2347c6235b4d2611184/thank_you', V],
  ['Shopify', '/account', R],
  ['Shopify', '/account/login', R],
  ['Shopify', '/account/orders/5551234', R],
  ['Shopify', '/55512345/orders/b1946ac92492d2347c6235b4d2611184', R],
  // WooCommerce
  ['WooCommerce', '/product/hoodie-with-logo/', C],
  ['WooCommerce', '/product-category/clothing/hoodies/', C],
  ['WooCommerce', '/product-tag/cotton/', C],
  ['WooCommerce', '/?s=hoodie&post_type=product', C],
  ['WooCommerce', '/?product=hoodie-with-logo', C],
  ['WooCommerce', '/?product_cat=hoodies', C],
  ['WooCommerce', '/cart/', V],
  ['WooCommerce', '/basket/', V],
  ['WooCommerce', '/checkout/', V],
  ['WooCommerce', '/checkout/order-pay/1234/?pay_for_order=true&key=wc_order_abc', V],
  ['WooCommerce', '/checkout/order-received/1234/?key=wc_order_abc', V],
  ['WooCommerce', '/my-account/', R],
  ['WooCommerce', '/my-account/orders/', R],
  ['WooCommerce', '/my-account/view-order/1234/', R],
  // Magento / Adobe Commerce
  ['Magento', '/catalog/product/view/id/1234/s/joust-duffle-bag/category/4/', C],
  ['Magento', '/catalog/category/view/id/12', C],
  ['Magento', '/catalogsearch/result/?q=bag', C],
  ['Magento', '/catalogsearch/advanced/', C],
  ['Magento', '/checkout/cart/', V],
  ['Magento', '/checkout/#shipping', V],
  ['Magento', '/checkout/onepage/success/', V],
  ['Magento', '/customer/account/', R],
  ['Magento', '/customer/account/login/referer/aHR0cHM6/', R],
  ['Magento', '/sales/order/history/', R],
  ['Magento', '/sales/order/view/order_id/12/', R],
  ['Magento', '/sales/guest/form/', R],
  // BigCommerce
  ['BigCommerce', '/products/sample-product.html', C],
  ['BigCommerce', '/categories/shop-all.html', C],
  ['BigCommerce', '/brands/common-good/', C],
  ['BigCommerce', '/search.php?search_query=mug&section=product', C],
  ['BigCommerce', '/cart.php', V],
  ['BigCommerce', '/checkout', V],
  ['BigCommerce', '/checkout/order-confirmation/123', V],
  ['BigCommerce', '/finishorder.php', V],
  ['BigCommerce', '/account.php?action=order_status', R],
  ['BigCommerce', '/account.php?action=view_order&order_id=105', R],
  ['BigCommerce', '/login.php', R],
  // PrestaShop
  ['PrestaShop', '/men/1-1-hummingbird-printed-t-shirt.html', C],
  ['PrestaShop', '/en/home-accessories/6-mug-the-best-is-yet-to-come.html', C],
  ['PrestaShop', '/3-clothes', C],
  ['PrestaShop', '/en/6-accessories?page=2', C],
  ['PrestaShop', '/index.php?id_product=1&controller=product', C],
  ['PrestaShop', '/index.php?id_category=3&controller=category', C],
  ['PrestaShop', '/en/search?controller=search&s=mug', C],
  ['PrestaShop', '/en/cart?action=show', V],
  ['PrestaShop', '/en/order', V],
  ['PrestaShop', '/en/order-confirmation?id_cart=12&id_module=31&id_order=8&key=abc', V],
  ['PrestaShop', '/index.php?controller=cart&action=show', V],
  ['PrestaShop', '/index.php?controller=order', V],
  ['PrestaShop', '/en/my-account', R],
  ['PrestaShop', '/en/order-history', R],
  ['PrestaShop', '/en/order-detail?id_order=8', R],
  ['PrestaShop', '/en/guest-tracking', R],
  ['PrestaShop', '/en/login?back=my-account', R],
  ['PrestaShop', '/index.php?controller=history', R],
  // Shopware 6
  ['Shopware', '/detail/2a88d9b59d474c7e869d8071649be43c', C],
  ['Shopware', '/navigation/a515ae260223466f8e37471d279e6406', C],
  ['Shopware', '/search?search=shirt', C],
  ['Shopware', '/checkout/cart', V],
  ['Shopware', '/checkout/register', V],
  ['Shopware', '/checkout/confirm', V],
  ['Shopware', '/checkout/finish?orderId=0b8e2f7d', V],
  ['Shopware', '/account', R],
  ['Shopware', '/account/order', R],
  ['Shopware', '/account/profile', R],
];

const nearMisses: [string, string][] = [
  ['a blog post about carts', '/blog/how-to-cart-a-horse'],
  ['an editorial page named after products', '/products-we-love'],
  ['a page whose name starts like cart', '/cartoons'],
  ['a blog post about checkouts', '/blog/checkout-tips'],
  ['an SEO page', '/search-engine-optimization'],
  ['an accounting page', '/accounting'],
  ['a contact form thank-you page', '/thank-you'],
  ['a dated blog post', '/2024/summer-sale'],
  ['a blog post starting with a number', '/blog/10-tips-for-summer'],
  ['the home page', '/'],
  ['the home page with campaign tags', '/?utm_source=newsletter&utm_medium=email'],
  ['a referral link', '/?ref=alice'],
  ['the word cart in a search query', '/pages/faq?topic=cart'],
  ['a slash-cart in a query value', '/pages/faq?next=/cart'],
  ['a short uuid-like detail page', '/detail/about'],
  ['a Magento CMS page', '/about-us.html'],
  ['a plain WordPress post id', '/?p=123'],
  ['a query parameter ending in s', '/?ids=3'],
];

describe('default rules', () => {
  it('are stage-only rules (no events)', () => {
    for (const r of defaultRules) {
      expect(r.event).toBeUndefined();
      expect(r.stage).toBeTruthy();
    }
  });

  it.each(pages)('%s %s -> %s', (_, path, stage) => expect(stageOf(path)).toBe(stage));

  it.each(nearMisses)('no stage for %s (%s)', (_, path) => expect(stageOf(path)).toBeUndefined());

  it('are case-insensitive', () => {
    expect(stageOf('/Products/Classic-Tee')).toBe(C);
    expect(stageOf('/CART')).toBe(V);
  });
});

describe('README: the data-rules lines for the URL shapes left out on purpose', () => {
  const readme = readFileSync(resolve(import.meta.dirname, '../../../README.md'), 'utf8');
  // [rule as the README prints it, a page it must add, pages it must leave to the built-in rules]
  const lines: [string, string, string[]][] = [
    [
      '[{"match":"/shop/**","stage":"consideration"}]',
      '/shop/',
      ['/cart/', '/checkout/order-received/12/?key=x', '/my-account/'],
    ],
    [
      '[{"match":"re:^/[^?]+\\\\.html(\\\\?|$)","stage":"consideration"}]',
      '/women/tops.html?p=2',
      ['/checkout/cart/', '/customer/account/'],
    ],
    [
      '[{"match":"re:^/[^/?]+/(\\\\?|$)","stage":"consideration"}]',
      '/linen-shirt/',
      ['/cart.php', '/checkout', '/account.php', '/'],
    ],
    [
      '[{"match":"re:^[^?]*/brand/\\\\d+-","stage":"consideration"}]',
      '/fr/brand/2-nordlys',
      ['/cart?action=show', '/order-history'],
    ],
    [
      '[{"match":"re:^/[^?]+/SW\\\\d+(\\\\?|$)","stage":"consideration"}]',
      '/Linen-Shirt/SW10001',
      ['/checkout/cart', '/account/order'],
    ],
  ];
  it.each(lines)('%s adds %s and leaves cart, checkout and account pages alone', (rule, path, others) => {
    expect(readme).toContain('`' + rule + '`');
    expect(stageOf(path)).toBeUndefined();
    const withRule = compileRules(JSON.parse(rule), () => {});
    expect(withRule(new URL(path, 'https://shop.example')).stage).toBe(C);
    for (const o of others) expect(withRule(new URL(o, 'https://shop.example')).stage, o).toBe(stageOf(o));
  });
});
