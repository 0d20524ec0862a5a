// The capture server: serves the fixture shop pages and the built bundle, and records every
// POST to /collect. Listens on 127.0.0.1 only, on a random free port (kept across stop/start,
// so a page's data-endpoint still points at it when it comes back).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, normalize } from 'node:path';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURES = join(ROOT, 'test', 'fixtures');
// JOURNEY_DIST lets the suite run against another build of the bundle (e.g. a release tarball).
export const DIST = process.env.JOURNEY_DIST || join(ROOT, 'dist');
export const BUNDLE = join(DIST, 'journey.min.js');

/** Fail early and plainly when the bundle has not been built. */
export const requireBundle = () => {
  if (!existsSync(BUNDLE)) throw new Error('dist/journey.min.js is missing: run `npm run build` first.');
};

const TYPES = { '.js': 'text/javascript', '.html': 'text/html', '.map': 'application/json' };
const typeOf = (p) => TYPES[p.slice(p.lastIndexOf('.'))] || 'application/octet-stream';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** `page_view×2 burst×50 page_leave(/shop/a)`: page events name their path. */
const countTypes = (events) => {
  const n = new Map();
  for (const e of events) {
    const k = e.type.startsWith('page_') ? `${e.type}(${String(e.url).replace(/^https?:\/\/[^/]+/, '')})` : e.type;
    n.set(k, (n.get(k) || 0) + 1);
  }
  return [...n].map(([k, c]) => (c > 1 ? `${k}×${c}` : k)).join(' ');
};

/**
 * An answer for one POST: a status number (2xx stores the batch), `{ status, retryAfter }`,
 * `'drop'` (destroy the connection, the page sees a network error) or `'hang'` (never answer).
 */
export const createCapture = async ({ endpoint = '/collect' } = {}) => {
  const requests = [];
  const waiters = new Set();
  const hanging = new Set();
  let answer = () => 200;
  let port = 0;
  let server;

  const cap = {
    endpoint,
    /** Milliseconds to hold back the bundle (and other dist files) before serving it. */
    delay: 0,
    /** Every POST to /collect, answered or not, in arrival order. */
    requests,
    get port() {
      return port;
    },
    get origin() {
      return `http://127.0.0.1:${port}`;
    },
    url: (path) => `http://127.0.0.1:${port}${path}`,
    /** Set how POSTs are answered: `fn(request)` returns an answer (see above); null resets to 200. */
    answer(fn) {
      answer = fn || (() => 200);
    },
    /** Answer the next POSTs with these answers in order, then `then` (default 200) forever. */
    answerSequence(list, then = 200) {
      const left = [...list];
      answer = () => (left.length ? left.shift() : then);
    },
    /** Bodies of the batches that were answered 2xx, i.e. stored. */
    batches: () => requests.filter((r) => r.stored).map((r) => r.body),
    /** All stored events in arrival order (batch order, then order within the batch). */
    events: () => cap.batches().flatMap((b) => b.events || []),
    uniqueIds: () => new Set(cap.events().map((e) => e.id)),
    /** Ids stored more than once, with their count. */
    duplicates() {
      const n = new Map();
      for (const e of cap.events()) n.set(e.id, (n.get(e.id) || 0) + 1);
      return [...n].filter(([, c]) => c > 1);
    },
    /**
     * Delivery figures for the ids a page created: how many arrived, which are missing, and the
     * duplicate rate (stored copies of those ids / unique ids of them stored).
     */
    stats(ids) {
      const want = new Set(ids);
      const got = cap.events().filter((e) => want.has(e.id));
      const unique = new Set(got.map((e) => e.id));
      return {
        created: want.size,
        received: got.length,
        unique: unique.size,
        missing: [...want].filter((id) => !unique.has(id)),
        rate: unique.size ? got.length / unique.size : 0,
      };
    },
    /** Resolve with `pred(events)` once it is truthy; reject after `timeout` ms with a summary. */
    waitForEvents(pred, timeout = 10_000) {
      const check = () => pred(cap.events());
      const now = check();
      if (now) return Promise.resolve(now);
      return new Promise((resolve, reject) => {
        const w = () => {
          const v = check();
          if (v) done(() => resolve(v));
        };
        const t = setTimeout(
          () => done(() => reject(new Error(`waitForEvents timed out after ${timeout} ms\n${cap.summary()}`))),
          timeout,
        );
        const done = (f) => {
          clearTimeout(t);
          waiters.delete(w);
          f();
        };
        waiters.add(w);
      });
    },
    /** Wait until every one of `ids` has been stored; the error lists the missing ones. */
    waitForIds(ids, timeout = 10_000) {
      return cap
        .waitForEvents((evs) => {
          const got = new Set(evs.map((e) => e.id));
          return ids.every((id) => got.has(id)) && evs;
        }, timeout)
        .catch((e) => {
          const { missing } = cap.stats(ids);
          throw new Error(`${missing.length} of ${ids.length} ids never stored: ${missing.slice(0, 10).join(' ')}\n${e.message}`);
        });
    },
    /** One line per POST: what came, how it was answered. For failure messages. */
    summary() {
      if (!requests.length) return '(no POST received)';
      const t0 = requests[0].time;
      return requests
        .slice(-40)
        .map(
          (r) =>
            `#${r.n} +${r.time - t0}ms ${r.answered} ${r.bytes}B ${r.contentType || '-'} from ${r.referer || '-'}: ` +
            (r.body
              ? `${(r.body.events || []).length} events ${countTypes(r.body.events || [])}`
              : `unparsed ${r.raw.slice(0, 80)}`),
        )
        .join('\n');
    },
    /** Forget what was recorded and answer 200 again. */
    reset() {
      requests.length = 0;
      answer = () => 200;
    },
    /** Stop listening: open connections are cut, new ones refused (the endpoint is down). */
    stop() {
      for (const res of hanging) res.destroy();
      hanging.clear();
      if (!server) return Promise.resolve();
      const s = server;
      server = undefined;
      return new Promise((r) => {
        s.close(() => r());
        s.closeAllConnections();
      });
    },
    /** Listen again, on the same port once one was chosen. */
    start() {
      if (server) return Promise.resolve(cap);
      server = createServer(handle);
      const s = server;
      return new Promise((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, '127.0.0.1', () => {
          port = s.address().port;
          resolve(cap);
        });
      });
    },
    close: () => cap.stop(),
  };

  const cors = (req, res) => {
    // Reflect the origin so a cross-origin fetch (endpoint on another port) may read the answer,
    // with or without credentials; Retry-After is not a CORS-safelisted response header.
    const o = req.headers.origin;
    if (o) {
      res.setHeader('Access-Control-Allow-Origin', o);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
      res.setHeader('Vary', 'Origin');
    }
  };

  const collect = (req, res, raw) => {
    let body;
    try {
      body = JSON.parse(raw);
    } catch {}
    const r = {
      n: requests.length + 1,
      time: Date.now(),
      bytes: Buffer.byteLength(raw),
      contentType: req.headers['content-type'],
      referer: req.headers.referer,
      raw,
      body,
      stored: false,
      answered: '',
    };
    requests.push(r);
    let a = body ? answer(r) : 400;
    if (typeof a === 'number') a = { status: a };
    if (a === 'drop') {
      r.answered = 'drop';
      req.socket.destroy();
    } else if (a === 'hang') {
      r.answered = 'hang';
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
    } else {
      r.answered = String(a.status);
      r.stored = a.status >= 200 && a.status < 300;
      if (a.retryAfter != null) res.setHeader('Retry-After', String(a.retryAfter));
      res.writeHead(a.status, { 'Content-Type': 'text/plain' });
      res.end();
    }
    for (const w of [...waiters]) w();
  };

  const serveFile = async (res, file, type, fill) => {
    let text = await readFile(file, fill ? 'utf8' : undefined);
    if (fill) text = text.replaceAll('{{endpoint}}', fill);
    res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' });
    res.end(text);
  };

  const handle = (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      try {
        cors(req, res);
        const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
        if (req.method === 'OPTIONS') {
          res.setHeader('Access-Control-Allow-Methods', 'POST');
          res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
          res.writeHead(204);
          return res.end();
        }
        if (req.method === 'POST' && path === '/collect') return collect(req, res, Buffer.concat(chunks).toString('utf8'));
        if (req.method !== 'GET') return res.writeHead(405).end();
        if (path.startsWith('/fixtures/')) {
          const f = join(FIXTURES, normalize(path.slice(10)).replace(/^(\.\.[/\\])+/, ''));
          if (existsSync(f)) return await serveFile(res, f, typeOf(f));
        }
        // Built files at the root (`/journey.min.js`, as in the README's snippet) and under /dist/.
        const name = path.replace(/^\/(dist\/)?/, '');
        if (/^[\w.-]+\.js(\.map)?$/.test(name) && existsSync(join(DIST, name))) {
          if (cap.delay) await sleep(cap.delay);
          return await serveFile(res, join(DIST, name), typeOf(name));
        }
        // `/<fixture>/anything` renders test/fixtures/<fixture>.html, so every path is a page.
        const page = join(FIXTURES, `${path.split('/')[1] || 'shop'}.html`);
        if (/^\/\w+(\/|$)/.test(path) && existsSync(page))
          return await serveFile(res, page, 'text/html; charset=utf-8', cap.endpoint);
        res.writeHead(404).end();
      } catch (e) {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(e));
      }
    });
  };

  return cap.start();
};
