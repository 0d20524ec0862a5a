// A stand-in for a Shopify store running Dawn: the theme's own JavaScript (test/fixtures/dawn, unchanged) on pages
// written after Dawn's Liquid templates, and the Ajax Cart API answering as Shopify documents it
// (shopify.dev/docs/api/ajax/reference/cart): POST /cart/add(.js) returns the added line with the line's NEW TOTAL
// quantity (or {items} for an items[] add), plus the rendered `sections` asked for; GET /cart.js the cart.
// Locale prefixes (/fr/cart/add) work as on Shopify.

/** The catalogue: one product, two variants; prices in cents as Shopify answers them. */
const VARIANTS = {
  4711: { sku: 'TEE-M', variant_title: 'M' },
  4712: { sku: 'TEE-L', variant_title: 'L' },
};
const PRODUCT = {
  product_id: 99,
  product_title: 'Linen tee',
  vendor: 'Nordlys',
  product_type: 'Shirts',
  price: 1450,
  handle: 'linen-tee',
};

export const createShopify = () => {
  /** Lines in add order: { id, quantity }. */
  let lines = [];
  const line = (l) => {
    const v = VARIANTS[l.id];
    return {
      id: l.id,
      properties: {},
      quantity: l.quantity,
      variant_id: l.id,
      key: `${l.id}:8a5d3f1c`,
      title: `${PRODUCT.product_title} - ${v.variant_title}`,
      price: PRODUCT.price,
      original_price: PRODUCT.price,
      discounted_price: PRODUCT.price,
      line_price: PRODUCT.price * l.quantity,
      original_line_price: PRODUCT.price * l.quantity,
      final_price: PRODUCT.price,
      final_line_price: PRODUCT.price * l.quantity,
      sku: v.sku,
      grams: 200,
      vendor: PRODUCT.vendor,
      taxable: true,
      product_id: PRODUCT.product_id,
      product_has_only_default_variant: false,
      gift_card: false,
      url: `/products/${PRODUCT.handle}?variant=${l.id}`,
      image: null,
      handle: PRODUCT.handle,
      requires_shipping: true,
      product_type: PRODUCT.product_type,
      product_title: PRODUCT.product_title,
      product_description: 'A tee.',
      variant_title: v.variant_title,
      variant_options: [v.variant_title],
      options_with_values: [{ name: 'Size', value: v.variant_title }],
      line_level_discount_allocations: [],
      line_level_total_discount: 0,
    };
  };
  const count = () => lines.reduce((n, l) => n + l.quantity, 0);
  const cartJson = () => ({
    token: 'c1-test',
    note: null,
    attributes: {},
    original_total_price: lines.reduce((n, l) => n + PRODUCT.price * l.quantity, 0),
    total_price: lines.reduce((n, l) => n + PRODUCT.price * l.quantity, 0),
    total_discount: 0,
    total_weight: count() * 200,
    item_count: count(),
    items: lines.map(line),
    requires_shipping: lines.length > 0,
    currency: 'EUR',
    items_subtotal_price: lines.reduce((n, l) => n + PRODUCT.price * l.quantity, 0),
    cart_level_discount_applications: [],
  });
  const euros = (cents) => `€${(cents / 100).toFixed(2).replace('.', ',')}`;
  const bubble = () =>
    `<div id="shopify-section-cart-icon-bubble" class="shopify-section"><span class="cart-count-bubble">${count()}</span></div>`;
  const drawerItems = () =>
    `<cart-drawer-items><form action="/cart" id="CartDrawer-Form" class="cart__contents cart-drawer__form" method="post"><div id="CartDrawer-CartItems" class="drawer__contents js-contents">${lines
      .map(
        (l) =>
          `<div class="cart-item" id="CartDrawer-Item-${l.id}">${PRODUCT.product_title} ${VARIANTS[l.id].variant_title} × <span class="cart-item__quantity">${l.quantity}</span></div>`,
      )
      .join('')}</div></form></cart-drawer-items>`;
  /** Sections Rendering API: each section's HTML wrapped as Shopify wraps it. */
  const SECTIONS = {
    'cart-icon-bubble': bubble,
    'cart-notification-product': (k) =>
      `<div id="shopify-section-cart-notification-product" class="shopify-section"><div id="cart-notification-product-${k}" class="cart-item"><h3 class="cart-notification-product__name">${PRODUCT.product_title}</h3></div></div>`,
    'cart-notification-button': () =>
      `<div id="shopify-section-cart-notification-button" class="shopify-section"><a href="/cart" class="button">View cart (${count()})</a></div>`,
    'cart-drawer': () =>
      `<div id="shopify-section-cart-drawer" class="shopify-section"><div id="CartDrawer" class="cart-drawer"><div id="CartDrawer-Overlay" class="cart-drawer__overlay"></div><div class="drawer__inner" role="dialog" aria-modal="true" tabindex="-1"><div class="drawer__header"><h2 class="drawer__heading">Your cart</h2><button class="drawer__close" type="button" onclick="this.closest('cart-drawer').close()">×</button></div>${drawerItems()}<div class="cart-drawer__footer">Total ${euros(cartJson().total_price)}</div></div></div></div>`,
  };

  /** POST /cart/add: form data or JSON, one variant (`id`, `quantity`) or `items`. */
  const add = (fields, sections) => {
    const asked = fields.items ? fields.items : [{ id: fields.id, quantity: fields.quantity }];
    const added = [];
    for (const a of asked) {
      const id = +a.id;
      if (!VARIANTS[id]) return { status: 404, body: { status: 404, message: 'Cart Error', description: 'Cannot find variant' } };
      const q = a.quantity == null || a.quantity === '' ? 1 : +a.quantity;
      let l = lines.find((x) => x.id == id);
      if (!l) lines.push((l = { id, quantity: 0 }));
      l.quantity += q;
      added.push(l);
    }
    const body = fields.items ? { items: added.map(line) } : line(added[0]);
    if (sections) {
      body.sections = {};
      for (const s of String(sections).split(',')) if (SECTIONS[s]) body.sections[s] = SECTIONS[s](line(added[0]).key);
    }
    return { status: 200, body };
  };

  /** Dawn's layout around a product page; `cart`: 'notification' or 'drawer' (the theme setting), `root`: locale. */
  const page = ({ cart = 'notification', root = '' } = {}) => `<!doctype html>
<html lang="${root ? root.slice(1) : 'en'}">
<head>
<meta charset="utf-8">
<title>${PRODUCT.product_title} – Dawn test store</title>
<script>
  window.Shopify = window.Shopify || {};
  Shopify.shop = "dawn-test.myshopify.com";
  Shopify.locale = "${root ? root.slice(1) : 'en'}";
  Shopify.currency = {"active":"EUR","rate":"1.0"};
  Shopify.country = "DE";
  Shopify.routes = Shopify.routes || {};
  Shopify.routes.root = "${root}/";
</script>
<script src="/vendor/dawn/constants.js" defer="defer"></script>
<script src="/vendor/dawn/pubsub.js" defer="defer"></script>
<script src="/vendor/dawn/global.js" defer="defer"></script>
<script>window.journey=window.journey||function(){(journey.q=journey.q||[]).push(arguments)}</script>
<script async src="/journey.min.js" data-endpoint="/collect" data-site="dawn" data-plugins="cart:shopify,checkout,referral"></script>
<script async src="/journey.cart-adapters.min.js"></script>
</head>
<body>
<header>
  <a href="${root}/cart" class="header__icon header__icon--cart link focus-inset" id="cart-icon-bubble"><span>Cart</span></a>
  ${
    cart == 'drawer'
      ? `<cart-drawer class="drawer is-empty">
    <div id="CartDrawer" class="cart-drawer">
      <div id="CartDrawer-Overlay" class="cart-drawer__overlay"></div>
      <div class="drawer__inner" role="dialog" aria-modal="true" aria-label="Your cart" tabindex="-1">
        <div class="drawer__inner-empty"><p>Your cart is empty</p></div>
        <div class="drawer__header"><h2 class="drawer__heading">Your cart</h2><button class="drawer__close" type="button" onclick="this.closest('cart-drawer').close()" aria-label="Close">×</button></div>
        <cart-drawer-items class="is-empty"><form action="${root}/cart" id="CartDrawer-Form" class="cart__contents cart-drawer__form" method="post"><div id="CartDrawer-CartItems" class="drawer__contents js-contents"></div></form></cart-drawer-items>
        <div class="cart-drawer__footer"></div>
      </div>
    </div>
  </cart-drawer>`
      : `<cart-notification>
    <div class="cart-notification-wrapper page-width">
      <div id="cart-notification" class="cart-notification focus-inset" aria-modal="true" aria-label="Item added to your cart" role="dialog" tabindex="-1">
        <div class="cart-notification__header"><h2 class="cart-notification__heading">Item added to your cart</h2><button type="button" class="cart-notification__close modal__close-button" aria-label="Close">×</button></div>
        <div id="cart-notification-product" class="cart-notification-product"></div>
        <div class="cart-notification__links"><a href="${root}/cart" id="cart-notification-button" class="button button--secondary button--full-width"></a><button type="button" class="link button-label">Continue shopping</button></div>
      </div>
    </div>
  </cart-notification>`
  }
</header>
<main>
<script>
  window.routes = {
    cart_add_url: '${root}/cart/add',
    cart_change_url: '${root}/cart/change',
    cart_update_url: '${root}/cart/update',
    cart_url: '${root}/cart',
    predictive_search_url: '${root}/search/suggest',
  };
  window.cartStrings = { error: 'There was an error while updating your cart.', quantityError: 'You can only add [quantity] of this item to your cart.' };
  window.variantStrings = { addToCart: 'Add to cart', soldOut: 'Sold out', unavailable: 'Unavailable', unavailable_with_option: '[value] - Unavailable' };
</script>
<section class="product">
  <h1 class="product__title">${PRODUCT.product_title}</h1>
  <div class="price"><span class="price-item price-item--regular">${euros(PRODUCT.price)}</span></div>
  <quantity-input class="quantity">
    <button class="quantity__button" name="minus" type="button">−</button>
    <input class="quantity__input" type="number" name="quantity" id="Quantity-template--main" data-cart-quantity="0" data-min="1" min="1" step="1" value="1" form="product-form-template--main">
    <button class="quantity__button" name="plus" type="button">+</button>
  </quantity-input>
  <product-form class="product-form" data-hide-errors="false" data-section-id="template--main">
    <div class="product-form__error-message-wrapper" role="alert" hidden><span class="product-form__error-message"></span></div>
    <form method="post" action="${root}/cart/add" id="product-form-template--main" accept-charset="UTF-8" class="form" enctype="multipart/form-data" novalidate="novalidate" data-type="add-to-cart-form">
      <input type="hidden" name="form_type" value="product"><input type="hidden" name="utf8" value="✓">
      <input type="hidden" name="id" value="4711" class="product-variant-id">
      <div class="product-form__buttons">
        <button id="ProductSubmitButton-template--main" type="submit" name="add" class="product-form__submit button button--full-width button--secondary"><span>Add to cart</span><div class="loading__spinner hidden"></div></button>
      </div>
      <input type="hidden" name="product-id" value="${PRODUCT.product_id}"><input type="hidden" name="section-id" value="template--main">
    </form>
  </product-form>
</section>
</main>
<script src="/vendor/dawn/product-form.js" defer></script>
${cart == 'drawer' ? '<script src="/vendor/dawn/cart.js" defer></script><script src="/vendor/dawn/cart-drawer.js" defer></script>' : '<script src="/vendor/dawn/cart-notification.js" defer></script>'}
</body>
</html>`;

  /** Answers Shopify's routes; returns false for anything else. */
  const handle = async (req, res, path, url, body) => {
    const m = /^(\/[a-z]{2})?(\/.*)$/.exec(path);
    const root = m[1] || '';
    const rest = m[2];
    const json = (status, o) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(o));
    if (req.method == 'POST' && /^\/cart\/add(\.js)?$/.test(rest)) {
      const type = req.headers['content-type'] || '';
      let fields = {};
      let sections;
      if (type.includes('json')) fields = JSON.parse(body.toString('utf8'));
      else {
        const fd = await new Response(body, { headers: { 'content-type': type } }).formData();
        fields = { id: fd.get('id'), quantity: fd.get('quantity') };
        sections = fd.get('sections');
      }
      const r = add(fields, sections || fields.sections);
      return (json(r.status, r.body), true);
    }
    if (req.method == 'GET' && rest == '/cart.js') return (json(200, cartJson()), true);
    if (req.method == 'GET' && rest == '/cart' && url.searchParams.get('section_id') == 'cart-drawer')
      return (res.writeHead(200, { 'Content-Type': 'text/html' }).end(SECTIONS['cart-drawer']()), true);
    if (req.method == 'GET' && rest.startsWith('/products/'))
      return (
        res
          .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
          .end(page({ cart: url.searchParams.get('cart') || 'notification', root })),
        true
      );
    return false;
  };

  return {
    handle,
    cart: cartJson,
    reset: () => (lines = []),
  };
};
