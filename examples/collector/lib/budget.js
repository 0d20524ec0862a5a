// Bounds on what many clients together can hold: bytes of request bodies in flight, and open
// connections. Over either the answer is 503 with Retry-After (the tracker keeps its events and
// retries), never memory without end: 2,000 held 1 MB bodies once took the process to 2 GB.
import { MAX_BODY } from './body.js';

/**
 * The bytes a request says its body has: its Content-Length, or when it is sent in chunks the most
 * a body may be (it is cut there); 0 with neither.
 * @param {import('node:http').IncomingMessage} req
 */
export const declaredSize = (req) => {
  const declared = Number(req.headers['content-length']);
  return Number.isFinite(declared) ? declared : req.headers['transfer-encoding'] ? MAX_BODY : 0;
};

/**
 * A shared pool of body bytes.
 * @param {number} max bytes; 0 turns it off
 */
export const createBodyBudget = (max) => {
  let used = 0;
  return {
    /**
     * Reserve what this request's body may take: its declared length, or the most a body may be
     * when it is sent in chunks. A declared length over the limit takes nothing (it is answered
     * 413 and discarded unread).
     * @param {import('node:http').IncomingMessage} req
     * @returns {number | undefined} the bytes to give back when the answer is sent; undefined: no room
     */
    take: (req) => {
      const declared = declaredSize(req);
      const need = declared > MAX_BODY ? 0 : declared;
      if (max > 0 && used + need > max) return undefined;
      used += need;
      return need;
    },
    /** @param {number} n */
    give: (n) => {
      used -= n;
    },
    get used() {
      return used;
    },
  };
};

/**
 * Count the server's open connections and mark those over `max`: their requests are answered 503
 * and the connection closed (node's own maxConnections drops a connection without a word, which a
 * client cannot tell from an outage).
 * @param {import('node:http').Server} server @param {number} max 0 turns it off
 */
export const capConnections = (server, max) => {
  /** @type {WeakSet<import('node:net').Socket>} */
  const over = new WeakSet();
  let open = 0;
  server.on('connection', (/** @type {import('node:net').Socket} */ socket) => {
    open++;
    socket.once('close', () => open--);
    if (max > 0 && open > max) over.add(socket);
  });
  return {
    /** @param {import('node:net').Socket} socket */
    over: (socket) => over.has(socket),
    get open() {
      return open;
    },
  };
};
