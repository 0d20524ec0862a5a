// journey-tracker → Shopify Customer Events (custom pixel). Paste into Settings → Customer events
// → Add custom pixel, set ENDPOINT and SITE, save and connect. See README.md for why and how.
const ENDPOINT = 'https://collect.example.com/collect';
const SITE = 'my-shop';
const SESSION_MS = 30 * 60 * 1000; // the tracker's default session timeout

// Shopify event → journey-tracker event type (GA4 names: root README, "Typed events").
const TYPES = {
  checkout_started: 'begin_checkout',
  checkout_shipping_info_submitted: 'add_shipping_info',
  payment_info_submitted: 'add_payment_info',
  checkout_completed: 'purchase',
};

// ULID: 10 characters of milliseconds, 16 random, Crockford base 32.
const B32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ulid = (t = Date.now()) => {
  let s = '';
  for (let i = 0; i < 10; i++, t = Math.floor(t / 32)) s = B32[t % 32] + s;
  for (const b of crypto.getRandomValues(new Uint8Array(16))) s += B32[b % 32];
  return s;
};

const num = (money) => (money && money.amount != null ? Number(money.amount) : undefined);

// Same item ids as the cart plugin's Shopify adapter: SKU, else the product id.
const items = (checkout) =>
  (checkout.lineItems || []).map((li) => {
    const v = li.variant || {};
    const p = v.product || {};
    return {
      item_id: String(v.sku || p.id || li.id),
      item_name: p.title || li.title,
      item_variant: v.title || undefined,
      item_brand: p.vendor || undefined,
      item_category: p.type || undefined,
      price: num(v.price),
      quantity: li.quantity,
    };
  });

const get = async (key) => {
  try {
    return await browser.localStorage.getItem(key);
  } catch {
    return null;
  }
};
const set = (key, value) => browser.localStorage.setItem(key, value).catch(() => {});

Object.keys(TYPES).forEach((name) => {
  analytics.subscribe(name, async (event) => {
    try {
      const type = TYPES[name];
      const checkout = (event.data && event.data.checkout) || {};
      const time = Date.parse(event.timestamp) || Date.now();
      const props = { currency: checkout.currencyCode, value: num(checkout.totalPrice), items: items(checkout) };

      if (type == 'begin_checkout') set('journey:pixel-begun', String(time));
      if (type == 'purchase') {
        const order = checkout.order && checkout.order.id;
        props.transaction_id = String(order || checkout.token);
        // The thank-you page may be reloaded or reopened: one purchase per order.
        const key = 'journey:pixel-tx:' + props.transaction_id;
        if (await get(key)) return;
        set(key, '1');
        props.tax = num(checkout.totalTax);
        props.shipping = num(checkout.shippingLine && checkout.shippingLine.price);
        const coupon = (checkout.discountApplications || [])
          .map((d) => d.title)
          .filter(Boolean)
          .join(',');
        if (coupon) props.coupon = coupon;
        const begun = Number(await get('journey:pixel-begun'));
        if (begun && time >= begun) props.checkout_ms = time - begun;
      }

      // Ids written by the theme snippet (README.md); without it, Shopify's own client id.
      let ids = [];
      try {
        ids = JSON.parse((await get('journey:pixel-ids')) || '[]');
      } catch {}
      const [v, s, seen] = ids;
      const visitor = v || event.clientId;
      // Checkout steps of one visit share a session: keep the theme's, else start one and keep it.
      const session = s && time - seen < SESSION_MS ? s : ulid(time);
      set('journey:pixel-ids', JSON.stringify([visitor, session, time]));
      const doc = (event.context && event.context.document) || {};
      const body = {
        v: 1,
        site: SITE,
        sent_at: Date.now(),
        events: [
          {
            id: ulid(time),
            type,
            time,
            visitor_id: visitor,
            session_id: session,
            stage: 'conversion', // every checkout event is a conversion event (README, "Journey stages")
            url: (doc.location && doc.location.href) || '',
            referrer: doc.referrer || '',
            title: doc.title || '',
            props,
          },
        ],
      };
      await fetch(ENDPOINT, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        keepalive: true,
      });
    } catch {
      // A pixel must never break the checkout: a lost event is the lesser harm.
    }
  });
});
