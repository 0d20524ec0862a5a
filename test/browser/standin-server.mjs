// One server on 127.0.0.1 for a platform stand-in (standin-shopify.mjs, standin-woocommerce.mjs, the GA4 pages):
// the platform's routes first, then the third-party code under /vendor/ (test/fixtures/<vendor>/ unchanged,
// jQuery and blockUI from node_modules, as WordPress serves them), the built tags at /, and POST /collect
// forwarded to the capture server, so pages use a relative endpoint on their own origin.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { DIST, FIXTURES, ROOT } from './capture.mjs';

const TYPES = { '.js': 'text/javascript', '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.map': 'application/json' };
const typeOf = (p) => TYPES[p.slice(p.lastIndexOf('.'))] || 'application/octet-stream';
const MODULES = {
  '/vendor/jquery.js': join(ROOT, 'node_modules', 'jquery', 'dist', 'jquery.js'),
  '/vendor/jquery.blockUI.js': join(ROOT, 'node_modules', 'jquery-blockui', 'jquery.blockUI.js'),
};

export const sendFile = async (res, file) =>
  res.writeHead(200, { 'Content-Type': typeOf(file), 'Cache-Control': 'no-store' }).end(await readFile(file));

/** `platform.handle(req, res, path, url, body)` answers its routes and returns true, or false to fall through. */
export const createStandin = async ({ collect, platform }) => {
  const handle = async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    try {
      const url = new URL(req.url, 'http://x');
      const path = decodeURIComponent(url.pathname);
      if (req.method == 'POST' && path == '/collect') {
        try {
          const r = await fetch(collect, {
            method: 'POST',
            body,
            headers: { 'content-type': req.headers['content-type'] || 'text/plain' },
          });
          return res.writeHead(r.status).end();
        } catch {
          // The capture server is down: the page sees a network error, as it would with the real endpoint.
          return req.socket.destroy();
        }
      }
      if (path == '/favicon.ico') return res.writeHead(204).end();
      if (await platform.handle(req, res, path, url, body)) return;
      if (MODULES[path]) return await sendFile(res, MODULES[path]);
      if (path.startsWith('/vendor/')) {
        const f = join(FIXTURES, normalize(path.slice(8)).replace(/^(\.\.[/\\])+/, ''));
        if (f.endsWith('.js') && existsSync(f)) return await sendFile(res, f);
      }
      const name = path.slice(1);
      if (/^journey[\w.-]*\.js$/.test(name) && existsSync(join(DIST, name))) return await sendFile(res, join(DIST, name));
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
