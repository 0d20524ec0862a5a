// The real demo shop (examples/shop) for the end-to-end tests: served unchanged on 127.0.0.1 with the
// built bundle, its relative `/collect` forwarded to a capture server, so the pages stay exactly as a
// shop owner ships them (same origin, relative endpoint) while the test sees every batch.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { DIST, ROOT } from './capture.mjs';

export const SHOP = join(ROOT, 'examples', 'shop');
const TYPES = { '.js': 'text/javascript', '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.map': 'application/json' };
const typeOf = (p) => TYPES[p.slice(p.lastIndexOf('.'))] || 'application/octet-stream';

/** Serve the shop under /shop/, the bundle files at /, and forward POST /collect to `collect` (a URL). */
export const createShopServer = async ({ collect }) => {
  const send = async (res, file) => {
    res.writeHead(200, { 'Content-Type': typeOf(file), 'Cache-Control': 'no-store' });
    res.end(await readFile(file));
  };
  const forward = async (req, res, body) => {
    try {
      const r = await fetch(collect, { method: 'POST', body, headers: { 'content-type': req.headers['content-type'] || 'text/plain' } });
      res.writeHead(r.status).end();
    } catch {
      // The capture server is down: the page sees a network error, as it would with the real endpoint.
      req.socket.destroy();
    }
  };
  const handle = async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (req.method === 'POST' && path === '/collect') return await forward(req, res, Buffer.concat(chunks));
      if (path === '/favicon.ico') return res.writeHead(204).end();
      if (path.startsWith('/shop/')) {
        let f = join(SHOP, normalize(path.slice(6)).replace(/^(\.\.[/\\])+/, ''));
        if (existsSync(f) && statSync(f).isDirectory()) f = join(f, 'index.html');
        if (existsSync(f)) return await send(res, f);
      }
      const name = path.slice(1);
      if (/^journey[\w.-]*\.js$/.test(name) && existsSync(join(DIST, name))) return await send(res, join(DIST, name));
      res.writeHead(404).end();
    } catch (e) {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(e));
    }
  };
  const server = createServer((req, res) => void handle(req, res));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    url: (path) => origin + path,
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
};

/** Wait until the shop page's bundle has replaced the stub (the shop has no record.js). */
export const whenTracker = (page, timeout = 10_000) =>
  page.waitForFunction(() => !!(window.journey && window.journey.jt && typeof window.journey.flush === 'function'), null, {
    timeout,
    polling: 20,
  });

/** Open `url` in `page` and wait for the tracker. */
export const visit = async (page, url) => {
  await page.goto(url);
  await whenTracker(page);
};

/** Click what `selector` names, which navigates: wait for the new page's tracker. */
export const clickAway = async (page, selector, urlPart) => {
  await Promise.all([page.waitForURL((u) => u.href.includes(urlPart)), page.click(selector)]);
  await whenTracker(page);
};

export const flush = (page) => page.evaluate(() => window.journey.flush());

/** `type@stage`, and `stage_change:from>to`: a journey as a list a failure message shows whole. */
export const step = (e) => (e.type === 'stage_change' ? `stage_change:${e.props.from}>${e.props.to}` : `${e.type}@${e.stage}`);

/** A receiver's order: event time, then id (ULIDs sort by time and stay monotonic within a page). */
export const byTime = (events) => [...events].sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** Events of one capture, ids deduplicated (a retry may repeat a batch: receivers drop repeats by id). */
export const unique = (events) => {
  const seen = new Set();
  return events.filter((e) => !seen.has(e.id) && seen.add(e.id));
};
