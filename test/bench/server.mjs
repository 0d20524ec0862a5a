// Two loopback servers for the benchmark: the "shop" that serves pages and tracker scripts, and the
// capture server every tracker sends to. They are separate origins, as in a real shop (collector on
// another host), so every tracker pays its real CORS cost. Both listen on 127.0.0.1 only.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { gunzipSync, inflateSync } from 'node:zlib';

const listen = (handler) =>
  new Promise((resolve, reject) => {
    const s = createServer(handler);
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => resolve(s));
  });

const close = (s) =>
  new Promise((r) => {
    s.close(() => r());
    s.closeAllConnections();
  });

const readBody = (req) =>
  new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(Buffer.alloc(0)));
  });

// Every benchmark event carries `jbm<run>x<index>y` in its props; trackers encode bodies in many
// ways (JSON, form fields, URL queries, gzip, base64), so we decode what we can and scan for it.
const MARK = /jbm([a-z0-9]+)x(\d+)y/g;

const unzip = (buf) => {
  try {
    if (buf[0] === 0x1f && buf[1] === 0x8b) return gunzipSync(buf);
    if (buf[0] === 0x78) return inflateSync(buf);
  } catch {}
  return buf;
};

const decodeText = (text) => {
  let out = text;
  try {
    out += '\n' + decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {}
  // Base64 fields (mixpanel's default `data=`, snowplow's `cx`/`ue_px`): decode long runs.
  for (const m of out.matchAll(/[A-Za-z0-9+/_-]{40,}={0,2}/g)) {
    try {
      out += '\n' + Buffer.from(m[0].replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    } catch {}
  }
  return out;
};

/** Markers in a request: run key → indexes. */
export const findMarkers = (text) => {
  const found = [];
  for (const m of decodeText(text).matchAll(MARK)) found.push([m[1], Number(m[2])]);
  return found;
};

/**
 * The capture server. `mode`: 'ok' answers 2xx, 'fail' answers 503 to every data request (the
 * collector is up but failing). Records, per run key, when each event index first arrived and how
 * many copies came.
 */
export const createCapture = async () => {
  const runs = new Map();
  const cap = { mode: 'ok', requests: 0, failed: 0 };

  const record = (text, now) => {
    const seen = new Set();
    for (const [run, i] of findMarkers(text)) {
      const k = run + ':' + i;
      // One request may mention a marker twice (decoded forms): count it once per request.
      if (seen.has(k)) continue;
      seen.add(k);
      let r = runs.get(run);
      if (!r) runs.set(run, (r = { first: new Map(), copies: 0, last: 0 }));
      r.copies++;
      if (!r.first.has(i)) {
        r.first.set(i, now);
        r.last = now;
      }
    }
  };

  const server = await listen(async (req, res) => {
    const o = req.headers.origin;
    if (o) {
      res.setHeader('Access-Control-Allow-Origin', o);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] || '*');
      res.setHeader('Access-Control-Max-Age', '600');
      return res.writeHead(204).end();
    }
    const body = await readBody(req);
    const path = req.url || '/';
    if (process.env.BENCH_DEBUG)
      console.log('[capture]', req.method, path.slice(0, 120), body.length, unzip(body).toString('utf8').slice(0, 160));
    // Remote config endpoints (flags/decide/settings) get an empty answer, never a failure.
    if (/\/(decide|flags|config|settings|sourceConfig)\b/.test(path)) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end('{}');
    }
    cap.requests++;
    if (cap.mode === 'fail') {
      cap.failed++;
      return res.writeHead(503, { 'Content-Type': 'text/plain' }).end('unavailable');
    }
    record(path + '\n' + unzip(body).toString('utf8'), Date.now());
    // Mixpanel reads `1` as success; the others read the status (amplitude also parses JSON).
    if (/^\/(track|engage|groups)\b/.test(path))
      return res.writeHead(200, { 'Content-Type': 'text/plain' }).end(/verbose=1/.test(path) ? '{"status":1,"error":null}' : '1');
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"code":200,"status":1,"events_ingested":1}');
  });

  cap.origin = `http://127.0.0.1:${server.address().port}`;
  /** Indexes of `run` received (a Map index → first arrival, epoch ms). */
  cap.got = (run) => runs.get(run)?.first || new Map();
  cap.copies = (run) => runs.get(run)?.copies || 0;
  cap.count = (run) => cap.got(run).size;
  /** Last time a new index of `run` arrived. */
  cap.last = (run) => runs.get(run)?.last || 0;
  cap.close = () => close(server);
  return cap;
};

/**
 * The shop: `/page/<tracker>` is a page with the benchmark harness (`harness` HTML string), and
 * `files` maps URL paths to files on disk (tracker scripts). Remembers which scripts each page
 * fetched (by Referer) so the byte count includes lazily loaded chunks.
 */
export const createSite = async ({ page, files, routes = {} }) => {
  const fetched = new Map();
  const cache = new Map();
  const read = (f) => {
    if (!cache.has(f)) cache.set(f, readFileSync(f));
    return cache.get(f);
  };
  const server = await listen(async (req, res) => {
    await readBody(req);
    const url = new URL(req.url || '/', 'http://x');
    const path = url.pathname;
    try {
      const m = path.match(/^\/page\/([\w-]+)/);
      if (m) {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
        return res.end(page(m[1], url));
      }
      if (path === '/blank') return res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>away</title>');
      if (routes[path]) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return res.end(routes[path]());
      }
      const file = files[path];
      if (file) {
        const ref = req.headers.referer && new URL(req.headers.referer).pathname.split('/')[2];
        if (ref) {
          if (!fetched.has(ref)) fetched.set(ref, new Set());
          fetched.get(ref).add(path);
        }
        res.writeHead(200, {
          'Content-Type': 'text/javascript',
          'Cache-Control': 'no-store',
          'Access-Control-Allow-Origin': '*',
        });
        return res.end(read(file));
      }
      res.writeHead(404).end();
    } catch (e) {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(e));
    }
  });
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    /** Script paths a tracker's pages fetched. */
    fetched: (name) => [...(fetched.get(name) || [])],
    close: () => close(server),
  };
};
