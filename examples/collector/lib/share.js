// Read-only share links (as Plausible's shared links): `/report?site=X&share=KEY`, where KEY is an
// HMAC of the site under the token. It opens that site's report and its JSON, nothing else: not
// another site, not the site list, not erasure. Nothing is stored; changing the token revokes them.
const PURPOSE = 'share';

/** @param {import('./token.js').Signer} signer @param {string} site */
export const shareKey = (signer, site) => signer.sign(PURPOSE, site);

/** @param {import('./token.js').Signer} signer @param {string} site @param {string | undefined} key */
export const validShare = (signer, site, key) => signer.verify(PURPOSE, site, key);

/** The share link's path for a site. @param {import('./token.js').Signer} signer @param {string} site */
export const sharePath = (signer, site) => `/report?${new URLSearchParams({ site, share: shareKey(signer, site) })}`;
