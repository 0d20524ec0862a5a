/**
 * WooCommerce cart adds, two ways:
 * - AJAX (archive and block buttons): WooCommerce triggers `added_to_cart` through jQuery only, so native listeners
 *   never see it. The item is the button's `data-product_sku` (or `data-product_id`) and `data-quantity`; the price
 *   is the product's line in the mini cart WooCommerce sends back (its cart fragments), else the product's price in
 *   the page around the button.
 * - Classic product forms (`form.cart`, a full-page POST): reported when submitted (the browser's own validation
 *   passed; an add WooCommerce refuses on the server, out of stock say, is still counted, as GTM plugins count it).
 *   The item is the product's SKU from the page (`.product_meta .sku`, kept current for variations by WooCommerce),
 *   else the variation or product id. Grouped-product forms and forms a theme submits by AJAX itself (it prevents
 *   the submit, and triggers `added_to_cart`) are left to the other path.
 * The currency is `wcSettings.currency.code` (block themes) or a `priceCurrency` of the page's structured data.
 */
import type { PluginContext } from '../types';
import type { Add } from './cart-adapters';

const WOO_ADD = 'added_to_cart';
const q = (el: ParentNode | null | undefined, sel: string) => (el && el.querySelector(sel)) || undefined;

/** The last `.amount` under `el` as a number: "£1,234.50", "1.234,50 €", "45". Sale prices put the paid one last. */
export const priceOf = (el?: Element | null): number | undefined => {
  const all = el ? el.querySelectorAll('.amount') : [];
  const t = all.length ? ('' + all[all.length - 1].textContent).replace(/[^\d.,]/g, '').replace(/^[.,]+|[.,]+$/g, '') : '';
  // The last separator followed by one or two digits is the decimal point; any other is a thousands separator.
  const m = /^(.*?)(?:[.,](\d{1,2}))?$/.exec(t);
  return m && m[1] ? +(m[1].replace(/\D/g, '') + '.' + (m[2] || 0)) : undefined;
};

const currency = (): string | undefined => {
  const s = (window as any).wcSettings;
  if (s && s.currency && s.currency.code) return s.currency.code;
  for (const el of document.querySelectorAll('script[type="application/ld+json"]')) {
    const m = /"priceCurrency"\s*:\s*"([A-Z]{3})"/.exec('' + el.textContent);
    if (m) return m[1];
  }
};

const name = (el?: Element | null) => {
  const t = q(el, '.product_title,.woocommerce-loop-product__title');
  return (t && t.textContent!.trim()) || undefined;
};

export const woocommerce = (ctx: PluginContext, add: Add) => {
  let off: (() => void) | undefined;
  const h = (_e: unknown, fragments: unknown, _h: unknown, b: any) => {
    const el: HTMLElement | undefined = b && b[0];
    const d = (el && el.dataset) || {};
    const id = d.product_sku || d.product_id;
    const product = el && el.closest('.product');
    let price: number | undefined;
    try {
      // Parsed in a template: inert, nothing in it loads or runs.
      const t = document.createElement('template');
      t.innerHTML = Object.values(fragments as object).join('');
      const line = q(t.content, '[data-product_id="' + d.product_id + '"]');
      price = priceOf(q(line && line.closest('li'), '.quantity'));
    } catch {}
    add(
      id
        ? [{ item_id: id, item_name: name(product), price: price ?? priceOf(q(product, '.price')), quantity: +d.quantity! || 1 }]
        : [],
      [[d.product_id, d.product_sku]],
      currency(),
    );
  };
  const submit = (e: Event) => {
    const f = e.target as HTMLFormElement;
    // Prevented: the theme adds by AJAX itself (and then triggers `added_to_cart`).
    if (e.defaultPrevented || !f.matches('form.cart:not(.grouped_form)')) return;
    const v = (n: string) => (q(f, '[name="' + n + '"]') as HTMLInputElement | undefined)?.value;
    const product = f.closest('.product');
    const sku = q(product, '.product_meta .sku');
    const vid = v('variation_id');
    // A variation id of 0: none chosen (WooCommerce keeps the button disabled then).
    const ids = [
      v('add-to-cart') || (e as SubmitEvent).submitter?.getAttribute('value'),
      vid != '0' && vid,
      sku && sku.textContent!.trim(),
    ];
    const id = ids[2] || ids[1] || ids[0];
    const price = priceOf(q(f, '.woocommerce-variation-price') || q(product, '.price'));
    id && add([{ item_id: id, item_name: name(product), price, quantity: +v('quantity')! || 1 }], [ids], currency());
  };
  // On window, the last stop of the event: a theme's handler delegated on the document (jQuery's) that prevents
  // the submit to add by AJAX has run by then, however late it was registered.
  ctx.listen(window, 'submit', submit);
  const on = () => {
    const $ = (window as any).jQuery;
    if (!off && $) {
      $(document.body).on(WOO_ADD, h);
      off = () => $(document.body).off(WOO_ADD, h);
    }
  };
  on();
  // jQuery may load after us (deferred theme scripts).
  if (!off) ctx.listen(window, 'load', on);
  return () => off && off();
};
