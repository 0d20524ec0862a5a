import type { Props } from '../types';

/** A page view's arrival: the campaign key that starts a new session when it changes, whether it comes from outside, and the props of a session's first page view. */
export interface Arrival {
  _campaign?: string;
  _external: boolean;
  _props: Props;
}

export const UTM = 'utm_';
export const TAGS = /* @__PURE__ */ 'source medium campaign term content'.split(' ');
// Click ids of ad networks: their presence alone means a paid click (Google incl. its iOS ids,
// Meta, Microsoft, TikTok, DoubleClick, X, LinkedIn, Yandex).
export const CLICK_IDS = /* @__PURE__ */ 'gclid fbclid msclkid ttclid wbraid gbraid dclid twclid li_fat_id yclid'.split(' ');
// Returns from payment providers and 3-D Secure (ACS) pages continue the visit: no arrival.
export const PAY =
  /(^|\.)(paypal|stripe|adyen|klarna|mollie|braintreegateway|cardinalcommerce|arcot)\.|(^|[.-])(acs\d*|3ds\w*)[.-]/;

/** The registrable part of a host, roughly (no public suffix list: bytes): `a.shop.co.uk` -> `shop.co.uk`. */
export const site = (host: string): string => {
  const p = host.split('.');
  // IP addresses compare whole; a short label before a 2-letter TLD (co.uk, com.au) keeps three labels.
  return /\d$/.test(host) ? host : p.slice((p[p.length - 2] || '').length < 4 && p[p.length - 1].length == 2 ? -3 : -2).join('.');
};

/** The referrer's lower-case host name, '' when there is none. */
export const hostOf = (referrer: string): string => {
  try {
    return new URL(referrer).hostname.toLowerCase();
  } catch {
    // No referrer, or no URL: none.
    return '';
  }
};

/** The site's own hosts and payment providers' returns are internal (README, "Journey stages"). */
export const isInternalHost = (host: string, own: string): boolean => site(host) == site(own.toLowerCase()) || PAY.test(host);

/**
 * What the stage engine needs of a page view's arrival: its campaign key, whether it comes from outside (ad
 * click ids, campaign tags, an outside referrer, else `?ref=`), and the props a session's first page view
 * carries (`utm_*`, `ref`). The traffic source itself is the collector's to derive (README, "The wire format").
 */
export const readArrival = (url: URL, referrer: string): Arrival => {
  const q = url.searchParams;
  const props: Props = {};
  let tagged = 0;
  for (const t of TAGS) {
    const v = q.get(UTM + t);
    if (v) (props[UTM + t] = v), tagged++;
  }
  const ref = q.get('ref');
  if (ref) props.ref = ref;
  const host = hostOf(referrer);
  // '||' when untagged: no key.
  const campaign = [props.utm_source, props.utm_medium, props.utm_campaign].join('|');
  return {
    _campaign: campaign != '||' ? campaign : undefined,
    _external: !!(CLICK_IDS.some((k) => q.has(k)) || tagged || (host ? !isInternalHost(host, url.hostname) : ref)),
    _props: props,
  };
};
