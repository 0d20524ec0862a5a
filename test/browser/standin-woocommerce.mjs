// A stand-in for a WooCommerce shop with gtm4wp 1.22.5: WooCommerce's add-to-cart.js (test/fixtures/woocommerce,
// unchanged) on jQuery 3.7.1 and blockUI (what WordPress enqueues), gtm4wp's front-end scripts (test/fixtures/gtm4wp,
// unchanged), and pages written after WooCommerce's classic templates and what gtm4wp's PHP prints
// (integration/woocommerce.php: product data spans and inputs, its inline globals, view_item, begin_checkout and the
// purchase push of its woocommerce_thankyou path, which merges `orderData` with the buyer's name and address into
// the purchase entry). Endpoints answer as WooCommerce does: POST /?wc-ajax=add_to_cart returns {fragments,
// cart_hash} (the mini cart re-rendered); a classic POST of the product form adds, sets the
// woocommerce_cart_hash cookie and renders the product page again with its notice.
import { createHash } from 'node:crypto';

const PRODUCTS = {
  42: { id: 42, sku: 'HOODIE', name: 'Hoodie', slug: 'hoodie', price: 45, regular: 50, category: 'Clothing' },
  77: { id: 77, sku: 'BEANIE', name: 'Beanie', slug: 'beanie', price: 18, category: 'Accessories' },
};
const ORDER = { number: '1234', key: 'wc_order_Qm9x3kT1' };

const money = (n) =>
  `<span class="woocommerce-Price-amount amount"><bdi><span class="woocommerce-Price-currencySymbol">&pound;</span>${n.toFixed(2)}</bdi></span>`;
const attr = (o) => JSON.stringify(o).replace(/&/g, '&amp;').replace(/"/g, '&quot;');
/** gtm4wp_woocommerce_process_product() with the plugin's defaults (product ids, not SKUs; retail vertical). */
const gtmProduct = (p, extra = {}) => ({
  internal_id: p.id,
  item_id: p.id,
  item_name: p.name,
  sku: p.sku,
  price: p.price,
  stocklevel: null,
  stockstatus: 'instock',
  google_business_vertical: 'retail',
  item_category: p.category,
  id: p.id,
  ...extra,
});

export const createWoo = () => {
  /** The main tag's data-plugins (set per test). */
  let plugins = 'cart:woocommerce,checkout,referral';
  /** Cart lines: { id, quantity }. */
  let lines = [];
  const hash = () => (lines.length ? createHash('md5').update(JSON.stringify(lines)).digest('hex') : '');
  const add = (id, quantity) => {
    const p = PRODUCTS[id];
    if (!p || !(quantity > 0)) return false;
    const l = lines.find((x) => x.id == id);
    l ? (l.quantity += quantity) : lines.push({ id: p.id, quantity });
    return true;
  };
  const miniCart = () =>
    `<div class="widget_shopping_cart_content">${
      lines.length
        ? `<ul class="woocommerce-mini-cart cart_list product_list_widget ">${lines
            .map((l) => {
              const p = PRODUCTS[l.id];
              return `<li class="woocommerce-mini-cart-item mini_cart_item"><a href="/cart/?remove_item=k${p.id}" class="remove remove_from_cart_button" aria-label="Remove ${p.name} from cart" data-product_id="${p.id}" data-cart_item_key="k${p.id}" data-product_sku="${p.sku}">&times;</a><a href="/product/${p.slug}/">${p.name}</a><span class="quantity">${l.quantity} &times; ${money(p.price)}</span></li>`;
            })
            .join(
              '',
            )}</ul><p class="woocommerce-mini-cart__total total"><strong>Subtotal:</strong> ${money(lines.reduce((n, l) => n + PRODUCTS[l.id].price * l.quantity, 0))}</p><p class="woocommerce-mini-cart__buttons buttons"><a href="/cart/" class="button wc-forward">View cart</a><a href="/checkout/" class="button checkout wc-forward">Checkout</a></p>`
        : '<p class="woocommerce-mini-cart__empty-message">No products in the cart.</p>'
    }</div>`;

  /** The page around WooCommerce content: gtm4wp's head block, the journey tags, WordPress's footer scripts. */
  const layout = ({ title, body, bodyClass, plugins, head = '', pushes = [], dataLayerContent = {} }) => `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>${title} – Woo test shop</title>
<!-- Google Tag Manager for WordPress by gtm4wp.com -->
<script data-cfasync="false" data-pagespeed-no-defer>
	var gtm4wp_datalayer_name = "dataLayer";
	var dataLayer = dataLayer || [];
	const gtm4wp_use_sku_instead = 0;
	const gtm4wp_currency = 'GBP';
	const gtm4wp_product_per_impression = 10;
	const gtm4wp_clear_ecommerce = false;
	const gtm4wp_datalayer_max_timeout = 2000;
</script>
<script data-cfasync="false" data-pagespeed-no-defer>
	var dataLayer_content = ${JSON.stringify(dataLayerContent)};
	dataLayer.push( dataLayer_content );
</script>
${head}
<script>window.journey=window.journey||function(){(journey.q=journey.q||[]).push(arguments)}</script>
<script async src="/journey.min.js" data-endpoint="/collect" data-site="woo" data-plugins="${plugins}"></script>
<script async src="/journey.cart-adapters.min.js"></script>${/dataLayer/.test(plugins) ? '\n<script async src="/journey.data-layer.min.js"></script>' : ''}
</head>
<body class="${bodyClass} woocommerce woocommerce-page">
<header><div class="widget woocommerce widget_shopping_cart">${miniCart()}</div></header>
<main>${body}</main>
<script src="/vendor/jquery.js"></script>
<script src="/vendor/jquery.blockUI.js"></script>
<script id="wc-add-to-cart-js-extra">
var wc_add_to_cart_params = {"ajax_url":"\\/wp-admin\\/admin-ajax.php","wc_ajax_url":"\\/?wc-ajax=%%endpoint%%","i18n_view_cart":"View cart","cart_url":"\\/cart\\/","is_cart":"","cart_redirect_after_add":"no"};
</script>
<script src="/vendor/woocommerce/add-to-cart.js"></script>
<script src="/vendor/gtm4wp/gtm4wp-ecommerce-generic.js"></script>
<script src="/vendor/gtm4wp/gtm4wp-woocommerce.js"></script>
${pushes.map((o) => `<script>\n\tdataLayer.push(${JSON.stringify(o)});\n</script>`).join('\n')}
</body>
</html>`;

  // Block themes print wcSettings (with the store currency) on every page; classic pages have none.
  const WC_SETTINGS = `<script>var wcSettings = wcSettings || JSON.parse(decodeURIComponent('${encodeURIComponent(
    JSON.stringify({
      currency: { code: 'GBP', precision: 2, symbol: '£', symbolPosition: 'left', decimalSeparator: '.', thousandSeparator: ',' },
    }),
  )}'));</script>`;

  const shop = (plugins) =>
    layout({
      title: 'Shop',
      bodyClass: 'archive post-type-archive post-type-archive-product',
      plugins,
      head: WC_SETTINGS,
      dataLayerContent: { pagePostType: 'product', pagePostType2: 'archive-product' },
      body: `<ul class="products columns-4">${Object.values(PRODUCTS)
        .map(
          (
            p,
            i,
          ) => `<li class="product type-product post-${p.id} status-publish instock product_cat-${p.category.toLowerCase()} ${p.regular ? 'sale ' : ''}purchasable product-type-simple">
<a href="/product/${p.slug}/" class="woocommerce-LoopProduct-link woocommerce-loop-product__link"><h2 class="woocommerce-loop-product__title">${p.name}</h2>
<span class="price">${p.regular ? `<del aria-hidden="true">${money(p.regular)}</del> <ins>${money(p.price)}</ins>` : money(p.price)}</span></a>
<a href="?add-to-cart=${p.id}" data-quantity="1" class="button product_type_simple add_to_cart_button ajax_add_to_cart" data-product_id="${p.id}" data-product_sku="${p.sku}" aria-label="Add to basket: &ldquo;${p.name}&rdquo;" rel="nofollow" data-success_message="&ldquo;${p.name}&rdquo; has been added to your cart">Add to basket</a>
<span class="gtm4wp_productdata" style="display:none; visibility:hidden;" data-gtm4wp_product_data="${attr(
            gtmProduct(p, {
              productlink: `/product/${p.slug}/`,
              item_list_name: 'General Product List',
              index: i + 1,
              product_type: 'simple',
              item_brand: '',
            }),
          )}"></span></li>`,
        )
        .join('\n')}</ul>`,
    });

  const product = (p, plugins, notice = '') =>
    layout({
      title: p.name,
      bodyClass: `product-template-default single single-product postid-${p.id}`,
      plugins,
      dataLayerContent: {
        pagePostType: 'product',
        pagePostType2: 'single-product',
        productRatingCounts: [],
        productAverageRating: 0,
        productReviewCount: 0,
        productType: 'simple',
        productIsVariable: 0,
      },
      pushes: [
        {
          ecommerce: {
            currency: 'GBP',
            value: p.price,
            items: [gtmProduct(p, { item_brand: '' })].map(({ internal_id, ...i }) => i),
          },
          event: 'view_item',
        },
      ],
      body: `<div class="woocommerce-notices-wrapper">${notice}</div>
<div id="product-${p.id}" class="product type-product post-${p.id} status-publish first instock product_cat-${p.category.toLowerCase()} purchasable product-type-simple">
<div class="summary entry-summary">
<h1 class="product_title entry-title">${p.name}</h1>
<p class="price">${money(p.price)}</p>
<form class="cart" action="/product/${p.slug}/" method="post" enctype='multipart/form-data'>
<div class="quantity"><label class="screen-reader-text" for="quantity_1">${p.name} quantity</label><input type="number" id="quantity_1" class="input-text qty text" name="quantity" value="1" aria-label="Product quantity" size="4" min="1" max="" step="1" placeholder="" inputmode="numeric" autocomplete="off"></div>
<button type="submit" name="add-to-cart" value="${p.id}" class="single_add_to_cart_button button alt">Add to basket</button>
<input type="hidden" name="gtm4wp_product_data" value="${attr(gtmProduct(p))}" />
</form>
<div class="product_meta"><span class="sku_wrapper">SKU: <span class="sku">${p.sku}</span></span><span class="posted_in">Category: <a href="/product-category/${p.category.toLowerCase()}/" rel="tag">${p.category}</a></span></div>
</div>
</div>
<script type="application/ld+json">${JSON.stringify({
        '@context': 'https://schema.org/',
        '@type': 'Product',
        '@id': `/product/${p.slug}/#product`,
        name: p.name,
        url: `/product/${p.slug}/`,
        sku: p.sku,
        offers: [
          {
            '@type': 'Offer',
            price: p.price.toFixed(2),
            priceValidUntil: '2027-12-31',
            priceCurrency: 'GBP',
            availability: 'http://schema.org/InStock',
            url: `/product/${p.slug}/`,
          },
        ],
      })}</script>`,
    });

  const items = () =>
    lines.map((l) => ({ ...gtmProduct(PRODUCTS[l.id], { quantity: l.quantity }) })).map(({ internal_id, ...i }) => i);
  const total = () => lines.reduce((n, l) => n + PRODUCTS[l.id].price * l.quantity, 0);

  const checkout = (plugins) =>
    layout({
      title: 'Checkout',
      bodyClass: 'page woocommerce-checkout',
      plugins,
      dataLayerContent: { pagePostType: 'page', pagePostType2: 'single-page' },
      head: `<script>window.gtm4wp_checkout_products = ${JSON.stringify(items())}; window.gtm4wp_checkout_value = ${total()};</script>`,
      pushes: [{ ecommerce: { currency: 'GBP', value: total(), items: items() }, event: 'begin_checkout' }],
      body: `<form name="checkout" method="post" class="checkout woocommerce-checkout" action="/checkout/"><ul class="wc_payment_methods payment_methods methods"><li><input id="payment_method_cod" type="radio" class="input-radio" name="payment_method" value="cod" checked="checked"></li></ul><button type="submit" class="button alt" name="woocommerce_checkout_place_order" id="place_order">Place order</button></form>`,
    });

  const customer = {
    first_name: 'Ada',
    last_name: 'Lovelace',
    company: '',
    address_1: '12 St James Square',
    address_2: '',
    city: 'London',
    state: '',
    postcode: 'SW1Y 4JH',
    country: 'GB',
  };
  /** The thank-you page: gtm4wp's purchase entry with its orderData (buyer and order key) merged in. */
  const thanks = (plugins) => {
    const its = items();
    return layout({
      title: 'Order received',
      bodyClass: 'page woocommerce-order-received',
      plugins,
      dataLayerContent: {
        pagePostType: 'page',
        pagePostType2: 'single-page',
        customerBillingFirstName: customer.first_name,
        customerBillingPostcode: customer.postcode,
      },
      pushes: [
        {
          orderData: {
            attributes: {
              date: '2026-12-06T14:00:00+00:00',
              order_number: ORDER.number,
              order_key: ORDER.key,
              payment_method: 'cod',
              payment_method_title: 'Cash on delivery',
              shipping_method: 'Flat rate',
              status: 'processing',
              coupons: '',
            },
            totals: {
              currency: 'GBP',
              discount_total: '0',
              shipping_total: '4.50',
              total: String(total() + 4.5),
              total_tax: '0',
            },
            customer: {
              id: 0,
              billing: { ...customer, email: 'ada@example.com', phone: '+44 20 7946 0000' },
              shipping: customer,
            },
            items: its,
          },
          new_customer: true,
          event: 'purchase',
          ecommerce: {
            currency: 'GBP',
            transaction_id: ORDER.number,
            affiliation: '',
            value: total() + 4.5,
            tax: 0,
            shipping: 4.5,
            coupon: '',
            items: its,
          },
        },
      ],
      body: `<p class="woocommerce-notice woocommerce-notice--success woocommerce-thankyou-order-received">Thank you. Your order has been received.</p><ul class="woocommerce-order-overview"><li class="woocommerce-order-overview__order order">Order number: <strong>${ORDER.number}</strong></li></ul>`,
    });
  };

  const handle = async (req, res, path, url, body) => {
    const html = (h, headers = {}) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...headers }).end(h);
    const cookies = () => ({
      'Set-Cookie': [`woocommerce_items_in_cart=${lines.length ? 1 : 0}; path=/`, `woocommerce_cart_hash=${hash()}; path=/`],
    });
    if (req.method == 'POST' && url.searchParams.get('wc-ajax') == 'add_to_cart') {
      const f = new URLSearchParams(body.toString('utf8'));
      if (!add(+f.get('product_id'), +(f.get('quantity') || 1)))
        return (
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: true, product_url: '/shop/' })),
          true
        );
      return (
        res
          .writeHead(200, { 'Content-Type': 'application/json', ...cookies() })
          .end(JSON.stringify({ fragments: { 'div.widget_shopping_cart_content': miniCart() }, cart_hash: hash() })),
        true
      );
    }
    const m = /^\/product\/([\w-]+)\/$/.exec(path);
    const p = m && Object.values(PRODUCTS).find((x) => x.slug == m[1]);
    if (p && req.method == 'POST') {
      const fd = await new Response(body, { headers: { 'content-type': req.headers['content-type'] } }).formData();
      const ok = add(+fd.get('add-to-cart'), +(fd.get('quantity') || 1));
      const notice = ok
        ? `<div class="woocommerce-message" role="alert"><a href="/cart/" tabindex="1" class="button wc-forward">View cart</a> &ldquo;${p.name}&rdquo; has been added to your basket.</div>`
        : '<ul class="woocommerce-error" role="alert"><li>Sorry, this product cannot be purchased.</li></ul>';
      return (html(product(p, plugins, notice), cookies()), true);
    }
    if (req.method != 'GET') return false;
    if (p) return (html(product(p, plugins)), true);
    if (path == '/shop/') return (html(shop(plugins)), true);
    if (path == '/checkout/') return (html(checkout(plugins)), true);
    if (path == `/checkout/order-received/${ORDER.number}/`) return (html(thanks(plugins)), true);
    return false;
  };

  return {
    handle,
    ORDER,
    lines: () => lines.map((l) => [PRODUCTS[l.id].sku, l.quantity]),
    plugins: (p) => (plugins = p),
    reset: () => ((lines = []), (plugins = 'cart:woocommerce,checkout,referral')),
  };
};
