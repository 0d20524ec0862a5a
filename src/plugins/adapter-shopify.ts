/**
 * Shopify AJAX cart adds: fetch or XMLHttpRequest to `/cart/add.js` or `/cart/add` (as Dawn posts it, with a JSON
 * Accept header), maybe under a locale prefix (`/fr/cart/add`), answered with the added line (or `{items}`),
 * prices in cents. fetch and `XMLHttpRequest.prototype.open` are wrapped only while the adapter is on.
 *
 * The quantity is the one the request asked for: for a variant already in the cart Shopify answers with the
 * line's new total, and reading that as the quantity added counted 2 + 1 as 2 + 3. A body the adapter cannot read
 * (a `Request` object, a stream) falls back to the answer's quantity.
 */
import type { Line } from '../events';
import { ignore } from '../lib/safe';
import type { Add } from './cart-adapters';

const SHOPIFY_ADD = /\/cart\/add(\.js)?([?#]|$)/;
// `id`, `quantity`, and `items[0][id]` or `items[][id]` (forms and jQuery's encoding of {items: [...]}).
const FIELD = /^(?:items\[(\d*)\]\[)?(id|quantity)\]?$/;

/** Quantities asked per variant id, from a fetch or XHR body: JSON, form-encoded text, FormData, URLSearchParams. */
export const asked = (body: unknown): Record<string, number> | undefined => {
  let fields: [string, unknown][] = [];
  if (typeof body == 'string')
    try {
      const j = JSON.parse(body);
      for (const i of j.items || [j]) fields.push(['id', i.id], ['quantity', i.quantity]);
    } catch {
      fields = [...new URLSearchParams(body)];
    }
  else if (body instanceof FormData || body instanceof URLSearchParams) fields = [...(body as any)];
  else return;
  // Lines pair by index, or by order for `id`/`quantity` without one (the quantity field may come first).
  const lines: Record<string, Record<string, unknown>> = {};
  const nth: Record<string, number> = {};
  for (const [k, v] of fields) {
    const m = FIELD.exec(k);
    if (m) (lines[m[1] ? 'i' + m[1] : (nth[m[2]] = (nth[m[2]] || 0) + 1)] ||= {})[m[2]] = v;
  }
  const q: Record<string, number> = {};
  // Shopify adds one when no quantity is given.
  for (const k in lines)
    if (lines[k].id != null) q['' + lines[k].id] = (q['' + lines[k].id] || 0) + (+(lines[k].quantity as number) || 1);
  return q;
};

export const shopify = (add: Add) => {
  const w = window as any;
  const f = w.fetch;
  const X = w.XMLHttpRequest && w.XMLHttpRequest.prototype;
  const open = X && X.open;
  // Checked where the answer arrives: after teardown, requests already under way report nothing.
  let live = 1;
  const onData = (j: any, q?: Record<string, number>) => {
    const lines: any[] = ((j && (j.items || [j])) || []).filter((l: any) => l && l.id != null);
    live &&
      add(
        lines.map(
          (l): Line => ({
            item_id: '' + (l.sku || l.product_id || l.id),
            item_name: l.product_title || l.title,
            item_variant: l.variant_title || undefined,
            item_brand: l.vendor,
            item_category: l.product_type || undefined,
            price: typeof l.price == 'number' ? l.price / 100 : undefined,
            quantity: (q && q['' + (l.variant_id || l.id)]) || l.quantity,
          }),
        ),
        lines.map((l) => [l.sku, l.product_id, l.variant_id || l.id]),
      );
  };
  const fetched = (...a: any[]) => {
    const p = f(...a);
    try {
      if (SHOPIFY_ADD.test('' + ((a[0] && a[0].url) || a[0]))) {
        const q = asked(a[1] && a[1].body);
        ignore(
          p.then(
            (r: Response) =>
              r.ok &&
              r
                .clone()
                .json()
                .then((j: unknown) => onData(j, q)),
          ),
        );
      }
    } catch {}
    return p;
  };
  // A prototype method needs `this`: the one place we use it, so every XHR of the page keeps working.
  function opened(this: XMLHttpRequest, ...a: any[]) {
    try {
      if (SHOPIFY_ADD.test('' + a[1])) {
        const x = this;
        const send = x.send;
        let q: Record<string, number> | undefined;
        // On this request only: its body says how many were asked for.
        x.send = function (b) {
          try {
            q = asked(b);
          } catch {}
          return send.apply(x, arguments as any);
        };
        // Once: a page may use the object again (another add, a read of /cart.js), and each add counts once.
        x.addEventListener(
          'load',
          () => {
            try {
              // responseText throws for a non-text responseType: caught, that add goes unseen.
              x.status < 300 && onData(JSON.parse(x.responseText), q);
            } catch {}
          },
          { once: true },
        );
      }
    } catch {}
    return open.apply(this, a);
  }
  if (f) w.fetch = fetched;
  if (open) X.open = opened;
  return () => {
    live = 0;
    // Someone may have wrapped ours since: then we stay in their chain, switched off by `live`.
    if (w.fetch === fetched) w.fetch = f;
    if (open && X.open === opened) X.open = open;
  };
};
