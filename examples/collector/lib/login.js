// GET /login: a plain form (no script); POST /login trades the token for the session cookie, so the
// token never sits in a URL, a log line or the browser's history. POST /logout ends the session.
import { readBody } from './body.js';
import { html, redirect } from './reply.js';
import { PRIVATE_HEADERS } from './headers.js';
import { esc } from './report-html.js';

/**
 * Only our own paths: never an open redirect to another site (`//evil`, `/\evil`). No control characters either:
 * browsers strip tabs and newlines before parsing a URL, so `/<tab>/evil` would be `//evil`.
 * @param {string | null | undefined} next
 */
export const safeNext = (next) => (next && /^\/(?![/\\])/.test(next) && !/[\0-\x1f\x7f]/.test(next) ? next : '/report');

/** @param {{ next: string, message?: string, tokenSet: boolean }} o */
const page = ({ next, message, tokenSet }) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>Log in · Journey report</title>
<style>body{font:15px/1.45 system-ui,sans-serif;background:#f6f7f9;color:#1d2330;display:grid;place-items:center;min-height:90vh}
form{background:#fff;padding:20px 24px;border-radius:8px;box-shadow:0 1px 2px #0001;display:grid;gap:10px;min-width:300px}
input,button{font:inherit;padding:6px 8px}p{margin:0;max-width:32em}.err{color:#b3261e}</style></head><body>
${
  tokenSet
    ? `<form method="post" action="/login"><h1>Journey report</h1>${message ? `<p class="err">${esc(message)}</p>` : ''}
<label>Token <input type="password" name="token" autocomplete="current-password" required autofocus></label>
<input type="hidden" name="next" value="${esc(next)}"><button>Log in</button></form>`
    : `<form><h1>Journey report</h1><p>No token is set, so the report answers direct loopback clients only and there is nothing to log in with. To open it through a proxy or from another machine, set <code>JOURNEY_TOKEN</code> (32 characters or more) and restart.</p></form>`
}</body></html>`;

/**
 * @param {{ access: import('./access.js').Access, guesses: import('./rate.js').RateLimit }} opts
 */
export const createLogin = ({ access, guesses }) => ({
  /** @param {import('node:http').ServerResponse} res @param {URL} url */
  show: (res, url) =>
    html(res, 200, page({ next: safeNext(url.searchParams.get('next')), tokenSet: Boolean(access.signer) }), PRIVATE_HEADERS),

  /**
   * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
   * @param {import('./access.js').Client} who
   */
  submit: async (req, res, who) => {
    const text = await readBody(req, 4096);
    const form = new URLSearchParams(text ?? '');
    const next = safeNext(form.get('next'));
    const { signer, sessions } = access;
    if (!signer || !sessions) return html(res, 400, page({ next, tokenSet: false }), PRIVATE_HEADERS);
    const wait = guesses.wait(who.ip);
    if (wait)
      return html(
        res,
        429,
        page({ next, tokenSet: true, message: `Too many wrong tokens from your address: try again in ${wait} s.` }),
        { ...PRIVATE_HEADERS, 'retry-after': String(wait) },
      );
    if (!signer.matches(form.get('token') ?? undefined)) {
      guesses.take(who.ip);
      return html(res, 401, page({ next, tokenSet: true, message: 'Wrong token.' }), PRIVATE_HEADERS);
    }
    // 303: the browser follows with a GET, and a reload does not post the token again.
    redirect(res, 303, next, { ...PRIVATE_HEADERS, 'set-cookie': sessions.issue(who.https) });
  },

  /** @param {import('node:http').ServerResponse} res @param {import('./access.js').Client} who */
  logout: (res, who) =>
    redirect(res, 303, '/login', {
      ...PRIVATE_HEADERS,
      ...(access.sessions && { 'set-cookie': access.sessions.clear(who.https) }),
    }),
});
