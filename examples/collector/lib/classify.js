// Page types for "engaged time by page type": the usual URL shapes of shop platforms
// (Shopify, WooCommerce, Magento, the demo shop). First match wins, so thank-you precedes checkout.
const PAGE_TYPES = /** @type {const} */ ([
  ['thank-you', /thank[-_]?you|order[-_]received|order[-_]confirm|\/checkouts?\/[^/]+\/thank/i],
  ['checkout', /checkout/i],
  ['cart', /\/(cart|basket|bag)\b/i],
  ['product', /\/(products?|p|item|dp)\//i],
  ['collection', /\/(collections?|categor(y|ies)|shop\/c|c)\//i],
  ['search', /\/(search|catalogsearch)\b/i],
  ['account', /\/(account|my-account|customer|orders?|login)\b/i],
  ['referral', /\/(referral|refer|invite)\b/i],
  ['review', /\/reviews?\b/i],
  ['nps', /\/(nps|survey|feedback)\b/i],
]);

/**
 * The page type of a URL, by its path.
 * @param {string} url
 * @returns {string}
 */
export const pageType = (url) => {
  // A regex, not new URL(): this runs for every event at ingest and the parser costs microseconds.
  const path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '').replace(/[?#].*$/s, '') || '/';
  for (const [type, re] of PAGE_TYPES) if (re.test(path)) return type;
  return /^\/([a-z0-9_-]+\/?)?(index\.html?)?$/i.test(path) ? 'home' : 'other';
};
