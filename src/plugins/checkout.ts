/**
 * `checkout()`: adds `checkout_ms` to `purchase`: the time since the latest `begin_checkout`
 * (the one that led to this purchase; earlier ones were abandoned attempts).
 *
 * - The begin time is kept in the plugin's state, so it survives the page loads of a checkout
 *   and later visits; a purchase clears it, so the next purchase needs its own `begin_checkout`.
 * - A `purchase` that already has `checkout_ms` keeps it (e.g. sent by the Shopify pixel example).
 * - The checkout events themselves (`begin_checkout`, `add_shipping_info`, `add_payment_info`,
 *   `purchase`) come from URL rules, data attributes, `track` or `dataLayer()`; this plugin emits
 *   nothing. The core sends a `purchase` only once per `transaction_id`.
 * No options.
 */
import type { Plugin, PluginState } from '../types';

export const checkout = (): Plugin => {
  let st: PluginState<number> | undefined;
  return {
    name: 'checkout',
    setup(ctx) {
      st = ctx.state<number>();
    },
    // In beforeSend, not on('event'): a begin_checkout that an earlier plugin drops must not count.
    beforeSend(e) {
      if (!st) return;
      const t = e.type;
      if (t == 'begin_checkout') st.set(e.time);
      if (t == 'purchase') {
        const begun = st.get();
        if (begun && e.time >= begun && e.props.checkout_ms == null) e.props.checkout_ms = e.time - begun;
        st.set(undefined);
      }
      return e;
    },
  };
};
