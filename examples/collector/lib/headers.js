// Response headers that keep pages and data where they belong. The report and login pages run no
// script, so the policy allows none; inline styles are the report's only need besides its own forms.

/** On every answer: never let a browser guess a type (a JSON body read as HTML). */
export const BASE_HEADERS = Object.freeze({ 'x-content-type-options': 'nosniff' });

/** On report, API, login and share answers: private data, not to be framed, cached or referred. */
export const PRIVATE_HEADERS = Object.freeze({
  ...BASE_HEADERS,
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  // A share link's key sits in its URL: no link followed from the page may carry it away.
  'referrer-policy': 'no-referrer',
  'cache-control': 'private, no-store',
});
