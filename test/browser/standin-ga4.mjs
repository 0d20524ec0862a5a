// Google's documented GA4 e-commerce examples as a shop would paste them: the gtag.js form
// (developers.google.com/analytics/devguides/collection/ga4/ecommerce, "gtag.js" tab) and the Tag Manager form
// (developers.google.com/tag-manager/ecommerce-ga4: `dataLayer.push({ ecommerce: null })` before each
// `dataLayer.push({ event, ecommerce })`). Event names, parameters and the two example items are the documented
// ones; no gtag.js or GTM container is loaded (no traffic leaves 127.0.0.1): gtag() is the documented stub.

const ITEM_1 = {
  item_id: 'SKU_12345',
  item_name: 'Stan and Friends Tee',
  affiliation: 'Google Merchandise Store',
  coupon: 'SUMMER_FUN',
  discount: 2.22,
  index: 0,
  item_brand: 'Google',
  item_category: 'Apparel',
  item_category2: 'Adult',
  item_category3: 'Shirts',
  item_category4: 'Crew',
  item_category5: 'Short sleeve',
  item_list_id: 'related_products',
  item_list_name: 'Related Products',
  item_variant: 'green',
  location_id: 'ChIJIQBpAG2ahYAR_6128GcTUEo',
  price: 10.01,
  quantity: 3,
};
const ITEM_2 = {
  item_id: 'SKU_12346',
  item_name: "Google Grey Women's Tee",
  affiliation: 'Google Merchandise Store',
  coupon: 'SUMMER_FUN',
  discount: 3.33,
  index: 1,
  item_brand: 'Google',
  item_category: 'Apparel',
  item_category2: 'Adult',
  item_category3: 'Shirts',
  item_category4: 'Crew',
  item_category5: 'Short sleeve',
  item_list_id: 'related_products',
  item_list_name: 'Related Products',
  item_variant: 'gray',
  location_id: 'ChIJIQBpAG2ahYAR_6128GcTUEo',
  price: 21.01,
  promotion_id: 'P_12345',
  promotion_name: 'Summer Sale',
  quantity: 2,
};
const PROMO = {
  creative_name: 'Summer Banner',
  creative_slot: 'featured_app_1',
  promotion_id: 'P_12345',
  promotion_name: 'Summer Sale',
};

/** [event, params] in the order of the documented implementation. */
export const GA4_EXAMPLES = [
  ['view_item_list', { item_list_id: 'related_products', item_list_name: 'Related products', items: [ITEM_1, ITEM_2] }],
  ['select_item', { item_list_id: 'related_products', item_list_name: 'Related products', items: [ITEM_1] }],
  ['view_item', { currency: 'USD', value: 30.03, items: [ITEM_1] }],
  ['add_to_wishlist', { currency: 'USD', value: 30.03, items: [ITEM_1] }],
  ['add_to_cart', { currency: 'USD', value: 30.03, items: [ITEM_1] }],
  ['remove_from_cart', { currency: 'USD', value: 30.03, items: [ITEM_1] }],
  ['view_cart', { currency: 'USD', value: 30.03, items: [ITEM_1] }],
  ['begin_checkout', { currency: 'USD', value: 30.03, coupon: 'SUMMER_FUN', items: [ITEM_1] }],
  ['add_shipping_info', { currency: 'USD', value: 30.03, coupon: 'SUMMER_FUN', shipping_tier: 'Ground', items: [ITEM_1] }],
  ['add_payment_info', { currency: 'USD', value: 30.03, coupon: 'SUMMER_FUN', payment_type: 'Credit Card', items: [ITEM_1] }],
  [
    'purchase',
    {
      transaction_id: 'T_12345',
      value: 72.05,
      tax: 3.6,
      shipping: 5.99,
      currency: 'USD',
      coupon: 'SUMMER_SALE',
      customer_type: 'new',
      items: [ITEM_1, ITEM_2],
    },
  ],
  [
    'refund',
    {
      currency: 'USD',
      transaction_id: 'T_12345',
      value: 30.03,
      coupon: 'SUMMER_FUN',
      shipping: 3.33,
      tax: 1.11,
      items: [ITEM_1],
    },
  ],
  ['view_promotion', { ...PROMO, items: [ITEM_1] }],
  ['select_promotion', { ...PROMO, items: [ITEM_1] }],
];

const page = (form) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>GA4 ${form}</title>
<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){dataLayer.push(arguments);}
  gtag('js', new Date());
  gtag('config', 'G-TEST000000');
</script>
<script>window.journey=window.journey||function(){(journey.q=journey.q||[]).push(arguments)}</script>
<script async src="/journey.min.js" data-endpoint="/collect" data-site="ga4" data-plugins="cart,checkout,referral,dataLayer"></script>
<script async src="/journey.data-layer.min.js"></script>
</head>
<body>
<h1>GA4 ${form} examples</h1>
<button id="run">Run the examples</button>
<script>
  const examples = ${JSON.stringify(GA4_EXAMPLES)};
  document.getElementById('run').addEventListener('click', () => {
    for (const [event, params] of examples) {
      ${form == 'gtag' ? 'gtag("event", event, params);' : 'dataLayer.push({ ecommerce: null });\n      dataLayer.push({ event, ecommerce: params });'}
    }
  });
</script>
</body>
</html>`;

export const createGa4 = () => ({
  handle: async (req, res, path) => {
    const m = /^\/(gtag|gtm)\/$/.exec(path);
    if (req.method != 'GET' || !m) return false;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page(m[1]));
    return true;
  },
});
