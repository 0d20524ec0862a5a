// Who may open the report, API and erasure routes. With JOURNEY_TOKEN: whoever shows it (a Bearer
// header, or the session cookie /login gives for it), and a share link for its one site, whatever
// address the request came from. Without: only a client talking to us directly on loopback, under a
// loopback or configured Host name; anything through a proxy could be anyone.
import { isLoopback } from './client-address.js';
import { notServed } from './hosts.js';
import { createSigner } from './token.js';
import { createSessions } from './session-cookie.js';
import { validShare } from './share.js';

export const HOW_TO =
  'report routes answer only direct loopback clients when no token is set: set JOURNEY_TOKEN (32 characters or more, e.g. openssl rand -hex 32), then log in at /login or send Authorization: Bearer <token>';

/**
 * @typedef {{ role: 'admin' } | { role: 'share', site: string }} Grant
 * @typedef {{ status: number, error: string, retryAfter?: number, login?: boolean }} Refusal
 * @typedef {ReturnType<import('./client-address.js').createClientAddress>} ClientOf
 * @typedef {ReturnType<ClientOf>} Client
 */

/**
 * @param {{ token?: string, hostOk: (host: string | undefined) => boolean, guesses: import('./rate.js').RateLimit }} opts
 */
export const createAccess = ({ token, hostOk, guesses }) => {
  const signer = token ? createSigner(token) : undefined;
  const sessions = signer && createSessions(signer);
  /** A wrong secret of any kind costs a guess. @param {Client} who @param {string} error @returns {Refusal} */
  const wrong = (who, error) => {
    guesses.take(who.ip);
    return { status: 401, error };
  };
  return {
    signer,
    sessions,
    /**
     * @param {import('node:http').IncomingMessage} req @param {URL} url @param {Client} who
     * @returns {Grant | Refusal}
     */
    check: (req, url, who) => {
      if (!signer || !sessions) {
        if (!who.proxied && isLoopback(who.peer) && hostOk(req.headers.host)) return { role: 'admin' };
        return { status: 401, error: HOW_TO };
      }
      if (!hostOk(req.headers.host)) return { status: 421, error: notServed(req.headers.host) };
      const wait = guesses.wait(who.ip);
      if (wait) return { status: 429, error: 'too many wrong tokens from this address', retryAfter: wait };
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
      if (bearer !== undefined) return signer.matches(bearer) ? { role: 'admin' } : wrong(who, 'wrong token');
      const session = sessions.check(req.headers.cookie);
      if (session === 'valid') return { role: 'admin' };
      const share = url.searchParams.get('share');
      const site = url.searchParams.get('site');
      if (share !== null)
        return site && validShare(signer, site, share)
          ? { role: 'share', site }
          : wrong(who, 'not a valid share link for this site');
      if (session === 'invalid') return { ...wrong(who, 'session not valid: log in again at /login'), login: true };
      return { status: 401, error: 'token required: log in at /login, or send Authorization: Bearer <token>', login: true };
    },
  };
};
/** @typedef {ReturnType<typeof createAccess>} Access */
