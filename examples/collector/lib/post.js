import { Agent, request } from 'node:http';

/**
 * A keep-alive JSON poster for the simulator and the benchmark (loopback, plain HTTP).
 * @param {string} endpoint e.g. http://127.0.0.1:8787/collect
 * @param {number} sockets
 */
export const createPoster = (endpoint, sockets) => {
  const url = new URL(endpoint);
  if (url.protocol !== 'http:') throw new Error(`${endpoint}: only http:// endpoints are supported`);
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  return {
    /** @param {string} body @param {Record<string, string>} [headers] @returns {Promise<number>} the status */
    post: (body, headers = {}) =>
      new Promise((resolve, reject) => {
        const req = request(
          url,
          {
            method: 'POST',
            agent,
            headers: { 'content-type': 'text/plain;charset=UTF-8', 'content-length': Buffer.byteLength(body), ...headers },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(body);
      }),
    close: () => agent.destroy(),
  };
};
