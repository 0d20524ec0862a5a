// The login session: a cookie holding its expiry and an HMAC of it under the token. Stateless, so it
// survives restarts and works across collector processes; changing the token ends every session.

export const COOKIE = 'journey_session';
const DAYS = 7;
const PURPOSE = 'session';

/** @param {string | undefined} header @param {string} name */
export const readCookie = (header, name) => {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
};

/** @param {import('./token.js').Signer} signer */
export const createSessions = (signer) => {
  /** @param {string} value @param {number} maxAge @param {boolean} https */
  const cookie = (value, maxAge, https) =>
    // HttpOnly: no script reads it; Strict: no other site's page or link sends it; Secure once the
    // visitor's side is HTTPS (a plain-HTTP loopback collector could not set it otherwise).
    `${COOKIE}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${https ? '; Secure' : ''}`;
  return {
    /** @param {boolean} https @param {number} [now] @returns {string} a Set-Cookie value */
    issue: (https, now = Date.now()) => {
      const until = String(Math.floor(now / 1000) + DAYS * 86_400);
      return cookie(`${until}.${signer.sign(PURPOSE, until)}`, DAYS * 86_400, https);
    },
    /** @param {boolean} https */
    clear: (https) => cookie('', 0, https),
    /**
     * @param {string | undefined} header the request's Cookie header
     * @returns {'none' | 'valid' | 'invalid'} invalid counts as a failed guess
     */
    check: (header, now = Date.now()) => {
      const value = readCookie(header, COOKIE);
      if (!value) return 'none';
      const [until, sig] = value.split('.');
      if (!signer.verify(PURPOSE, until, sig)) return 'invalid';
      // An expired but genuine cookie is no guess: just log in again.
      return Number(until) * 1000 > now ? 'valid' : 'none';
    },
  };
};
