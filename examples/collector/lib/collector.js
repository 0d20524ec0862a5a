import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { readBody } from './body.js';
import { checkBatch } from './validate.js';
import { createWriter } from './writer.js';
import { createRateLimit } from './rate.js';
import { answerReport } from './report-route.js';
import { renderSites } from './report-html.js';
import { sendFile } from './static.js';

const SHOP = fileURLToPath(new URL('../../shop', import.meta.url));
const DIST = fileURLToPath(new URL('../../../dist', import.meta.url));
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+|localhost)$/;
const TRACKER_FILE = /^\/journey(\.[a-z0-9-]+)*\.min\.js(\.map)?$/;

/**
 * @typedef {object} CollectorOptions
 * @property {import('./storage/index.js').Storage} storage
 * @property {string} [host]         default 127.0.0.1
 * @property {string} [token]        needed by report routes when `host` is not loopback
 * @property {Record<string, string[]>} [origins]  opt-in allow-list of page origins per site
 * @property {{ perSecond: number, burst: number }} [rate]  per client address; perSecond 0 turns it off
 * @property {boolean} [limitLoopback]  rate-limit loopback clients too (default false: the simulator and benchmark run there)
 * @property {{ delayMs?: number, maxRows?: number }} [writer]  group-commit settings over the engine's own
 * @property {string} [shopDir]
 * @property {string} [distDir]
 * @property {Record<string, string>} [zones]  the report's time zone per site (IANA names; default UTC)
 */

/** @param {CollectorOptions} opts */
export const createCollector = (opts) => {
  const { storage, host = '127.0.0.1', token, origins = {}, limitLoopback = false } = opts;
  const shopDir = opts.shopDir ?? SHOP;
  const distDir = opts.distDir ?? DIST;
  const writer = createWriter(storage, { ...storage.writer, ...opts.writer });
  const allow = createRateLimit(opts.rate ?? { perSecond: 20, burst: 200 });
  const open = LOOPBACK.test(host);
  let closing = false;
  let inflight = 0;
  let quietUntil = 0;

  /** @param {import('node:http').ServerResponse} res @param {number} status @param {unknown} body @param {Record<string, string>} [headers] */
  const json = (res, status, body, headers = {}) => {
    const text = JSON.stringify(body);
    // With its length known the answer goes out in one write, not as chunks.
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
    res.end(text);
  };
  /** @param {import('node:http').ServerResponse} res @param {number} status @param {string} html */
  const html = (res, status, html) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  };

  /** Report routes: open on loopback, a token anywhere else. @param {import('node:http').IncomingMessage} req @param {URL} url */
  const authorised = (req, url) => {
    if (open) return true;
    const given = url.searchParams.get('token') ?? req.headers.authorization?.replace(/^Bearer\s+/i, '');
    return !!token && given === token;
  };

  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  const collect = async (req, res) => {
    const origin = req.headers.origin;
    // Beacons are text/plain: a "simple" request, no preflight. CORS headers let fetch read the status.
    /** @type {Record<string, string>} */
    const cors = origin ? { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary: 'Origin' } : {};
    if (closing) return json(res, 503, { error: 'shutting down' }, { ...cors, 'retry-after': '5' });
    const ip = req.socket.remoteAddress ?? '';
    if ((limitLoopback || !LOOPBACK.test(ip)) && !allow(ip)) return json(res, 429, { error: 'too many requests' }, { ...cors, 'retry-after': '1' });
    const text = await readBody(req);
    if (text === undefined) return json(res, 413, { error: 'body over 1,000,000 bytes' }, { ...cors, connection: 'close' });
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      return json(res, 400, { error: 'malformed JSON' }, cors);
    }
    const now = Date.now();
    const checked = checkBatch(body, now);
    if ('error' in checked) return json(res, checked.error.startsWith('events: over') ? 413 : 400, { error: checked.error }, cors);
    const allowed = origins[checked.site];
    if (allowed && origin && !allowed.includes(origin)) return json(res, 403, { error: `origin ${origin} not allowed for site ${checked.site}` }, cors);
    try {
      await writer.write(checked.rows);
    } catch (e) {
      // One line per outage, not one stack per beacon: every request of a failed block lands here.
      if (Date.now() > quietUntil) console.error(`collector: write failed, answering 503: ${/** @type {Error} */ (e).message}`);
      quietUntil = Date.now() + 10_000;
      return json(res, 503, { error: 'storage unavailable' }, { ...cors, 'retry-after': '5' });
    }
    json(res, 200, { ok: true, events: checked.rows.length }, cors);
  };

  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  const route = async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://collector');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path === '/collect') {
      if (method === 'POST') return collect(req, res);
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
    // Browsers ask for it on every page; an empty answer keeps their consoles clean.
    if (path === '/favicon.ico') return res.writeHead(204).end();
    if (path === '/healthz') {
      // A remote engine can be down while we are up: a load balancer should stop sending beacons here.
      const up = !closing && (await Promise.resolve(storage.ping?.() ?? true).catch(() => false));
      return json(res, up ? 200 : 503, { ok: up });
    }
    if (method !== 'GET' && method !== 'HEAD' && !path.startsWith('/api/')) return json(res, 405, { error: 'method not allowed' });
    if (path === '/' ) {
      res.writeHead(302, { location: '/report' });
      return res.end();
    }
    if (path === '/shop') {
      res.writeHead(301, { location: '/shop/' });
      return res.end();
    }
    if (path.startsWith('/shop/')) return sendFile(res, shopDir, path.slice(6)) || html(res, 404, 'Not found');
    if (TRACKER_FILE.test(path))
      return sendFile(res, distDir, path.slice(1)) || json(res, 404, { error: `${path.slice(1)} not built: run npm run build` });
    if (path === '/report' || path.startsWith('/api/')) {
      if (!authorised(req, url))
        return json(res, 401, { error: token ? 'token required' : 'set JOURNEY_TOKEN to open report routes beyond loopback' });
      const site = url.searchParams.get('site');
      if (path === '/api/sites') return json(res, 200, await storage.sites());
      if (path === '/api/visitor') {
        // Erasure requests (GDPR art. 17): every event of one visitor id or user id on a site.
        if (method !== 'DELETE') return json(res, 405, { error: 'use DELETE' }, { allow: 'DELETE' });
        const id = url.searchParams.get('id');
        if (!site || !id) return json(res, 400, { error: 'site and id required' });
        await writer.drain();
        return json(res, 200, { erased: await storage.erase(site, id) });
      }
      if (path === '/api/report' || path === '/report') {
        if (!site) return path === '/report' ? html(res, 200, renderSites(await storage.sites())) : json(res, 400, { error: 'site required' });
        const a = await answerReport({ storage, url, page: path === '/report', origin: `http://${req.headers.host ?? '127.0.0.1'}`, zones: opts.zones });
        if (a.type === 'csv') {
          res.writeHead(a.status, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${a.filename}"` });
          return res.end(a.body);
        }
        return a.type === 'html' ? html(res, a.status, /** @type {string} */ (a.body)) : json(res, a.status, a.body);
      }
    }
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
      await storage.close();
    },
  };
};
