// HTTP for the access and limit tests: one request with every header under control, and a small
// reverse proxy, as nginx's `proxy_set_header X-Forwarded-For
// $proxy_add_x_forwarded_for` would be: it appends the visitor's address (here the one named in
// `x-test-client`, so one test can play many visitors), keeps Host, and may add X-Forwarded-Proto.
import { createServer, request } from 'node:http';

/**
 * One request on a connection of its own (`agent: false`, so no idle keep-alive socket counts
 * against a connection cap), any Host, no redirect following.
 * @param {string} base @param {string} path
 * @param {{ method?: string, headers?: Record<string, string>, body?: string }} [o]
 * @returns {Promise<{ status: number, headers: import('node:http').IncomingHttpHeaders, text: string }>}
 */
export const send = (base, path, { method = 'GET', headers = {}, body } = {}) =>
  new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });

/**
 * @param {string} target e.g. http://127.0.0.1:1234
 * @param {{ proto?: string }} [opts]
 * @returns {Promise<{ base: string, close: () => Promise<void> }>}
 */
export const startProxy = async (target, { proto } = {}) => {
  const to = new URL(target);
  const server = createServer((req, res) => {
    const { 'x-test-client': client, ...headers } = req.headers;
    const visitor = String(client ?? '203.0.113.7');
    headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${visitor}` : visitor;
    if (proto) headers['x-forwarded-proto'] = proto;
    const up = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', () => r(undefined)));
  const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r(undefined)))),
  };
};
