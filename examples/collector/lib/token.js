// The one secret (JOURNEY_TOKEN) and everything derived from it: session cookies and share links are
// HMACs under it, so nothing needs storing and changing the token revokes them all.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Shorter tokens refuse to start: 32 characters is `openssl rand -hex 16`, 128 bits. */
export const MIN_TOKEN = 32;

/** @param {string | undefined} token @returns {string | undefined} a message when the token cannot be used */
export const tokenProblem = (token) =>
  token !== undefined && token.length < MIN_TOKEN
    ? `JOURNEY_TOKEN is ${token.length} characters; use at least ${MIN_TOKEN} (e.g. openssl rand -hex 32)`
    : undefined;

/** @param {string} s */
const digest = (s) => createHash('sha256').update(s).digest();

/**
 * Equal strings, in time that does not depend on where they differ (hashing first makes the
 * lengths equal, which timingSafeEqual needs, and hides the length too).
 * @param {string} a @param {string} b
 */
export const sameSecret = (a, b) => timingSafeEqual(digest(a), digest(b));

/** @param {string} token */
export const createSigner = (token) => {
  /** @param {string} purpose @param {string} text */
  const sign = (purpose, text) => createHmac('sha256', token).update(`${purpose}\0${text}`).digest('base64url').slice(0, 32);
  return {
    /** @param {string | undefined} given */
    matches: (given) => given !== undefined && sameSecret(given, token),
    sign,
    /** @param {string} purpose @param {string} text @param {string | undefined} sig */
    verify: (purpose, text, sig) => sig !== undefined && sameSecret(sig, sign(purpose, text)),
  };
};
/** @typedef {ReturnType<typeof createSigner>} Signer */
