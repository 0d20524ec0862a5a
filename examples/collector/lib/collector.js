import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { readBody } from './body.js';
import { answer, createTally, readBatch } from './ingest.js';
import { createWriter } from './writer.js';
import { createRateLimit } from './rate.js';
import { answerReport } from './report-route.js';
import { renderSites } from './report-html.js';
import { sendFile } from './static.js';
import { json, html, redirect } from './reply.js';
import { PRIVATE_HEADERS } from './headers.js';
import { createClientAddress, isLoopback, parseTrusted } from './client-address.js';
import { createHostCheck, isLoopbackHost, notServed } from './hosts.js';
import { tokenProblem } from './token.js';
import { createAccess } from './access.js';
import { createLogin } from './login.js';
import { sharePath } from './share.js';
import { capConnections, createBodyBudget, declaredSize } from './budget.js';
import { createAgentParser } from './user-agent.js';
import { createCountryLookup, createCountryOf } from './country.js';
import { createBotCount } from './bots.js';

const SHOP = fileURLToPath(new URL('../../shop', import.meta.url));
const DIST = fileURLToPath(new URL('../../../dist', import.meta.url));
const TRACKER_FILE = /^\/journey(\.[a-z0-9-]+)*\.min\.js(\.map)?$/;

/** Defaults of the limits; the collector README lists them with their variables. */
export const LIMITS = Object.freeze({
  rate: { perSecond: 20, burst: 200 },
  rateBytes: { perSecond: 1_000_000, burst: 10_000_000 },
  guesses: { perSecond: 1 / 6, burst: 10 },
  maxConnections: 1024,
  bodyBudget: 64_000_000,
});

/**
 * @typedef {object} CollectorOptions
 * @property {import('./storage/index.js').Storage} storage
 * @property {string} [host]         default 127.0.0.1; any other address needs `token`
 * @property {string} [token]        required on report, API and erasure routes when set (32 characters or more)
 * @property {string[]} [hosts]      Host names served besides loopback ones; `*` any (needs `token`)
 * @property {string} [trustProxy]   addresses and CIDRs whose X-Forwarded-For / Forwarded we believe (`loopback` too)
 * @property {Record<string, string[]>} [origins]  opt-in allow-list of page origins per site
 * @property {{ perSecond: number, burst: number }} [rate]  requests per client address; perSecond 0 turns it off
 * @property {{ perSecond: number, burst: number }} [rateBytes]  body bytes per client address
 * @property {{ perSecond: number, burst: number }} [guesses]  wrong tokens, cookies and share keys per client address
 * @property {number} [maxConnections]  open connections; over it, 503 (0: no cap)
 * @property {number} [bodyBudget]   bytes of request bodies in flight, all clients together; over it, 503 (0: no cap)
 * @property {boolean} [limitLoopback]  rate-limit direct loopback clients too (default false: the simulator and benchmark run there)
 * @property {{ delayMs?: number, maxRows?: number }} [writer]  group-commit settings over the engine's own
 * @property {string} [shopDir]
 * @property {string} [distDir]
 * @property {Record<string, string>} [zones]  the report's time zone per site (IANA names; default UTC)
 */

/**
 * Beacons are text/plain: a "simple" request, no preflight. CORS headers let fetch read the status, and
 * Retry-After (not a safelisted header: unexposed, the tracker reads null and retries within a second).
 * @param {string | undefined} origin @returns {Record<string, string>}
 */
const corsOf = (origin) =>
  origin
    ? {
        'access-control-allow-origin': origin,
        'access-control-allow-credentials': 'true',
        'access-control-expose-headers': 'Retry-After',
        vary: 'Origin',
      }
    : {};

/** @param {CollectorOptions} opts */
export const createCollector = (opts) => {
  const { storage, host = '127.0.0.1', token, hosts = [], origins = {}, limitLoopback = false } = opts;
  // Refuse to start rather than run open: these are the mistakes that expose every report.
  const problem =
    tokenProblem(token) ??
    (!token && !isLoopbackHost(host) && host !== '::1'
      ? `listening on ${host} needs JOURNEY_TOKEN: without one, report routes would answer anyone who reaches this address`
      : undefined) ??
    (!token && hosts.includes('*') ? 'JOURNEY_HOSTS=* (any Host name) needs JOURNEY_TOKEN' : undefined);
  if (problem) throw new Error(problem);
  const shopDir = opts.shopDir ?? SHOP;
  const distDir = opts.distDir ?? DIST;
  const writer = createWriter(storage, { ...storage.writer, ...opts.writer });
  const requests = createRateLimit(opts.rate ?? LIMITS.rate);
  const bytes = createRateLimit(opts.rateBytes ?? LIMITS.rateBytes);
  const guesses = createRateLimit(opts.guesses ?? LIMITS.guesses);
  const budget = createBodyBudget(opts.bodyBudget ?? LIMITS.bodyBudget);
  const client = createClientAddress(parseTrusted(opts.trustProxy));
  const hostOk = createHostCheck(hosts);
  const access = createAccess({ token, hostOk, guesses });
  const login = createLogin({ access, guesses });
  let closing = false;
  let inflight = 0;
  let quietUntil = 0;
  let warnedProxy = false;
  let aborts = 0;
  const refusals = createTally('events refused');
  const agentOf = createAgentParser();
  const countryOf = createCountryOf(createCountryLookup());
  const bots = createBotCount(storage);

  /**
   * The rate limits of one request: 0 to pass, else seconds to wait. Direct loopback clients pass
   * (the simulator and benchmark run there); one behind a proxy on loopback does not.
   * @param {import('./access.js').Client} who @param {number} [size] body bytes declared
   */
  const limited = (who, size = 0) => {
    if (!limitLoopback && !who.proxied && isLoopback(who.ip)) return 0;
    if (who.proxied && !who.trusted && !warnedProxy) {
      warnedProxy = true;
      console.warn(
        `collector: requests from ${who.peer} carry X-Forwarded-For or Forwarded, but it is not in JOURNEY_TRUST_PROXY: rate limits key on ${who.peer} for all of them`,
      );
    }
    return requests.take(who.ip) || (size ? bytes.take(who.ip, size) : 0);
  };
  /** @param {import('node:http').ServerResponse} res @param {string} error @param {number} wait @param {Record<string, string>} [headers] */
  const tooMany = (res, error, wait, headers = {}) => json(res, 429, { error }, { ...headers, 'retry-after': String(wait) });

  /**
   * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
   * @param {import('./access.js').Client} who
   */
  const collect = async (req, res, who) => {
    const cors = corsOf(req.headers.origin);
    if (closing) return json(res, 503, { error: 'shutting down' }, { ...cors, 'retry-after': '5' });
    let text;
    try {
      text = await readBody(req);
    } catch {
      // The client went away mid-body (a tab closed, a network change): counted, nobody to answer.
      return void (aborts++, res.destroy());
    }
    if (text === undefined) return json(res, 413, { error: 'body over 1,000,000 bytes' }, { ...cors, connection: 'close' });
    // Returned, not awaited: this frame (the body, its rows) ends here, while the answer waits for the write.
    return settle(res, cors, intake(text, req, who));
  };

  /**
   * One beacon's body checked and its rows handed to the writer. Not async: an async function keeps every local
   * until it ends, even those it no longer reads, and thousands of beacons' rows waiting for their insert
   * outlived the young generation (garbage collection took 40% of the collector's CPU).
   * @param {string} text @param {import('node:http').IncomingMessage} req @param {import('./access.js').Client} who
   * @returns {{ status: number, body: object, written?: Promise<void> }}
   */
  const intake = (text, req, who) => {
    const origin = req.headers.origin;
    const agent = agentOf(req.headers['user-agent']);
    const checked = readBatch(text, Date.now(), refusals, {
      device: agent.device,
      browser: agent.browser,
      os: agent.os,
      country: agent.bot ? null : countryOf(req.headers, who),
    });
    if ('status' in checked) return { status: checked.status, body: { error: checked.error } };
    const allowed = origins[checked.site];
    // A site with an allow-list refuses requests with no Origin too: browsers send one on every POST,
    // so only a script outside a browser leaves it out.
    if (allowed && !(origin && allowed.includes(origin)))
      return { status: 403, body: { error: `origin ${origin ?? '(none)'} not allowed for site ${checked.site}` } };
    // A crawler's events are counted, not stored: answered like stored ones, so it has nothing to retry.
    if (agent.bot) {
      if (checked.rows.length) bots.add(checked.site, Date.now(), checked.rows.length);
      return { status: 200, body: { ...answer({ ...checked, rows: [] }), bots: checked.rows.length } };
    }
    // A write refused at once (the queue full) is answered like a failed one.
    const written = checked.rows.length ? writer.write(checked.rows) : undefined;
    return { status: 200, body: answer(checked), written };
  };

  /**
   * The answer, once the beacon's rows are written (503 when they are not).
   * @param {import('node:http').ServerResponse} res @param {Record<string, string>} cors
   * @param {ReturnType<typeof intake>} taken
   */
  const settle = async (res, cors, { status, body, written }) => {
    try {
      await written;
    } catch (e) {
      // One line per outage, not one stack per beacon: every request of a failed block lands here.
      if (Date.now() > quietUntil) console.error(`collector: write failed, answering 503: ${/** @type {Error} */ (e).message}`);
      quietUntil = Date.now() + 10_000;
      return json(res, 503, { error: 'storage unavailable' }, { ...cors, 'retry-after': '5' });
    }
    json(res, status, body, cors);
  };

  /**
   * Report, API and erasure routes, each given the grant that opened it (a share link opens only
   * GET of its own site's report and its JSON).
   * @type {Record<string, (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, url: URL, grant: import('./access.js').Grant) => Promise<unknown> | void>}
   */
  const reportRoutes = {
    '/api/sites': async (_req, res) => json(res, 200, await storage.sites(), PRIVATE_HEADERS),
    '/api/visitor': async (req, res, url) => {
      // Erasure requests (GDPR art. 17): every event of one visitor id or user id on a site.
      if (req.method !== 'DELETE') return json(res, 405, { error: 'use DELETE' }, { ...PRIVATE_HEADERS, allow: 'DELETE' });
      const site = url.searchParams.get('site');
      const id = url.searchParams.get('id');
      if (!site || !id) return json(res, 400, { error: 'site and id required' }, PRIVATE_HEADERS);
      // Between two write groups, not once the writer is idle: under steady beacons it never is.
      // Bounded: past the writer's wait (10 s) it answers 503 and erases nothing.
      const erased = await writer.between(() => storage.erase(site, id)).catch((e) => e);
      if (typeof erased !== 'number')
        return json(res, 503, { error: `erasure not done: ${erased.message}` }, { ...PRIVATE_HEADERS, 'retry-after': '5' });
      return json(res, 200, { erased }, PRIVATE_HEADERS);
    },
    '/api/report': (req, res, url, grant) => report(req, res, url, grant, false),
    '/report': (req, res, url, grant) => report(req, res, url, grant, true),
  };

  /**
   * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res @param {URL} url
   * @param {import('./access.js').Grant} grant @param {boolean} page HTML, else JSON
   */
  const report = async (req, res, url, grant, page) => {
    const site = url.searchParams.get('site');
    const signedIn = Boolean(access.signer) && grant.role === 'admin';
    if (!site)
      return page
        ? html(res, 200, renderSites(await storage.sites(), { signedIn }), PRIVATE_HEADERS)
        : json(res, 400, { error: 'site required' }, PRIVATE_HEADERS);
    // Counted in memory until the next flush: stored now, so the report says how many it left out.
    await bots.flush();
    const view =
      grant.role === 'share'
        ? { share: url.searchParams.get('share') ?? undefined }
        : { signedIn, shareLink: access.signer && sharePath(access.signer, site) };
    const a = await answerReport({
      storage,
      url,
      page,
      view,
      origin: `http://${req.headers.host ?? '127.0.0.1'}`,
      zones: opts.zones,
    });
    if (a.type === 'csv') {
      res.writeHead(a.status, {
        ...PRIVATE_HEADERS,
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${a.filename}"`,
      });
      return res.end(a.body);
    }
    return a.type === 'html'
      ? html(res, a.status, /** @type {string} */ (a.body), PRIVATE_HEADERS)
      : json(res, a.status, a.body, PRIVATE_HEADERS);
  };

  /**
   * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
   * @param {URL} url @param {import('./access.js').Client} who
   */
  const guarded = async (req, res, url, who) => {
    const path = url.pathname;
    const page = path === '/report';
    const wait = limited(who);
    if (wait) return tooMany(res, 'too many requests', wait, PRIVATE_HEADERS);
    // Tokens in URLs end in proxy logs and browser history: no longer accepted. Old bookmarks of the
    // page lead to the login form, without the token.
    if (access.signer && url.searchParams.has('token')) {
      url.searchParams.delete('token');
      if (page) return redirect(res, 303, `/login?${new URLSearchParams({ next: url.pathname + url.search })}`, PRIVATE_HEADERS);
      return json(res, 401, { error: '?token= is no longer accepted: send Authorization: Bearer <token>' }, PRIVATE_HEADERS);
    }
    const grant = access.check(req, url, who);
    if ('status' in grant) {
      if (grant.login && page)
        return redirect(res, 303, `/login?${new URLSearchParams({ next: url.pathname + url.search })}`, PRIVATE_HEADERS);
      /** @type {Record<string, string>} */
      const extra = grant.retryAfter
        ? { 'retry-after': String(grant.retryAfter) }
        : grant.status === 401 && access.signer
          ? { 'www-authenticate': 'Bearer' }
          : {};
      return json(res, grant.status, { error: grant.error }, { ...PRIVATE_HEADERS, ...extra });
    }
    const handler = reportRoutes[path];
    if (!handler) return json(res, 404, { error: 'not found' }, PRIVATE_HEADERS);
    const method = req.method ?? 'GET';
    if (grant.role === 'share' && (!(path === '/report' || path === '/api/report') || (method !== 'GET' && method !== 'HEAD')))
      return json(res, 403, { error: "a share link reads its site's report only" }, PRIVATE_HEADERS);
    if (path !== '/api/visitor' && method !== 'GET' && method !== 'HEAD')
      return json(res, 405, { error: 'method not allowed' }, PRIVATE_HEADERS);
    return handler(req, res, url, grant);
  };

  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  const route = async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://collector');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (cap.over(req.socket)) {
      req.resume();
      return json(res, 503, { error: 'busy: too many connections' }, { 'retry-after': '5', connection: 'close' });
    }
    if (path === '/healthz') {
      // A remote engine can be down while we are up: a load balancer should stop sending beacons here.
      // And an engine that answers its ping may still refuse every write (a full disk).
      const up = !closing && !writer.failing() && (await Promise.resolve(storage.ping?.() ?? true).catch(() => false));
      return json(res, up ? 200 : 503, {
        ok: up,
        writes: writer.failing() ? 'failing' : 'ok',
        aborted: aborts,
        refused: refusals.totals,
      });
    }
    const who = client(req);
    if (path === '/report' || path.startsWith('/api/')) return guarded(req, res, url, who);
    if (path === '/collect') {
      if (method === 'POST') {
        const cors = corsOf(req.headers.origin);
        const wait = limited(who, declaredSize(req));
        if (wait) {
          req.resume();
          return tooMany(res, 'too many requests', wait, cors);
        }
        const held = budget.take(req);
        if (held === undefined) {
          req.resume();
          return json(
            res,
            503,
            { error: 'busy: too many request bodies in flight' },
            { ...cors, 'retry-after': '2', connection: 'close' },
          );
        }
        res.once('close', () => budget.give(held));
        return collect(req, res, who);
      }
      if (method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-origin': req.headers.origin ?? '*',
          'access-control-allow-credentials': 'true',
          'access-control-allow-methods': 'POST, OPTIONS',
          'access-control-allow-headers': 'content-type',
          'access-control-max-age': '86400',
          vary: 'Origin',
        });
        return res.end();
      }
      return json(res, 405, { error: 'use POST' }, { allow: 'POST, OPTIONS' });
    }
    // Public routes (ingest, the shop, the bundles) answer under any name: refusing a beacon for its
    // Host would lose its events (the tracker drops a batch on a 4xx). Private ones check it.
    if (path === '/login' || path === '/logout') {
      if (!hostOk(req.headers.host)) return json(res, 421, { error: notServed(req.headers.host) }, PRIVATE_HEADERS);
      const wait = limited(who);
      if (wait) return tooMany(res, 'too many requests', wait, PRIVATE_HEADERS);
      if (path === '/logout')
        return method === 'POST'
          ? login.logout(res, who)
          : json(res, 405, { error: 'use POST' }, { ...PRIVATE_HEADERS, allow: 'POST' });
      if (method === 'POST') return login.submit(req, res, who);
      if (method === 'GET' || method === 'HEAD') return login.show(res, url);
      return json(res, 405, { error: 'method not allowed' }, { ...PRIVATE_HEADERS, allow: 'GET, POST' });
    }
    // Browsers ask for it on every page; an empty answer keeps their consoles clean.
    if (path === '/favicon.ico') return res.writeHead(204).end();
    if (method !== 'GET' && method !== 'HEAD') return json(res, 405, { error: 'method not allowed' });
    if (path === '/') return redirect(res, 302, '/report');
    if (path === '/shop') return redirect(res, 301, '/shop/');
    if (path.startsWith('/shop/')) return sendFile(res, shopDir, path.slice(6)) || html(res, 404, 'Not found');
    if (TRACKER_FILE.test(path))
      return sendFile(res, distDir, path.slice(1)) || json(res, 404, { error: `${path.slice(1)} not built: run npm run build` });
    json(res, 404, { error: 'not found' });
  };

  const server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000 }, (req, res) => {
    inflight++;
    res.on('close', () => inflight--);
    route(req, res).catch((e) => {
      // Whatever goes wrong, this request ends and the server stays up.
      console.error('collector:', e);
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  const cap = capConnections(server, opts.maxConnections ?? LIMITS.maxConnections);
  server.on('clientError', (_e, socket) => socket.destroy());
  server.keepAliveTimeout = 5_000;

  return {
    server,
    storage,
    /** @param {number} port @returns {Promise<number>} the port listened on */
    listen: (port) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve(/** @type {import('node:net').AddressInfo} */ (server.address()).port));
      }),
    /** Stop taking requests, finish those accepted, commit, close the database. */
    async close() {
      closing = true;
      const stopped = new Promise((r) => server.close(() => r(undefined)));
      server.closeIdleConnections();
      while (inflight > 0) await new Promise((r) => setTimeout(r, 10));
      server.closeAllConnections();
      await stopped;
      await writer.drain();
      await bots.flush();
      await storage.close();
    },
  };
};
