import { connect } from 'node:net';

const CRLF2 = Buffer.from('\r\n\r\n');
// Browsers' User-Agents, one per connection in turn, as beacons carry them: ingest parses each and looks up the
// country (user-agent.js, country.js), and the report's device filter has segments to tell apart.
const AGENTS = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
];

/**
 * Bytes a chunked body takes from `from` up to its end (no trailers), or -1 while incomplete.
 * @param {Buffer} b @param {number} from
 */
const chunkedLength = (b, from) => {
  for (let at = from; ; ) {
    const eol = b.indexOf('\r\n', at, 'latin1');
    if (eol < 0) return -1;
    const size = parseInt(b.toString('latin1', at, eol), 16);
    at = eol + 2 + size + 2;
    if (at > b.length) return -1;
    if (size === 0) return at - from;
  }
};

/**
 * The benchmark's HTTP/1.1 client: keep-alive sockets, one request at a time on each, written as one
 * buffer. node:http's client spends about 150 µs of CPU a request (measured under --cpu-prof), which
 * on a shared 2-core machine is CPU taken from the collector being measured. It reads only what the
 * collector sends to /collect: a status line, headers with content-length, a short body.
 * @param {string} endpoint e.g. http://127.0.0.1:8787/collect
 * @param {number} sockets
 */
export const createRawPoster = (endpoint, sockets) => {
  const url = new URL(endpoint);
  if (url.protocol !== 'http:') throw new Error(`${endpoint}: only http:// endpoints are supported`);
  /** @param {number} k */
  const headOf = (k) =>
    `POST ${url.pathname} HTTP/1.1\r\nhost: ${url.host}\r\nuser-agent: ${AGENTS[k % AGENTS.length]}\r\ncontent-type: text/plain;charset=UTF-8\r\ncontent-length: `;
  /** @type {Connection[]} */
  const idle = [];
  /** @type {{ body: Buffer, resolve: (status: number) => void, reject: (e: Error) => void }[]} */
  const waiting = [];
  let open = 0;

  /** @typedef {ReturnType<typeof connection>} Connection */
  const connection = () => {
    const head = headOf(open);
    /** This connection's request head for each body length: made once, not for every request. @type {Map<number, Buffer>} */
    const heads = new Map();
    const socket = connect(Number(url.port || 80), url.hostname);
    socket.setNoDelay(true);
    /** @type {{ resolve: (status: number) => void, reject: (e: Error) => void } | undefined} */
    let current;
    /** @type {Buffer} */
    let buffered = Buffer.alloc(0);
    const self = {
      /** @param {Buffer} body @param {(status: number) => void} resolve @param {(e: Error) => void} reject */
      send(body, resolve, reject) {
        current = { resolve, reject };
        let h = heads.get(body.length);
        if (!h) heads.set(body.length, (h = Buffer.from(`${head}${body.length}\r\n\r\n`, 'latin1')));
        // Head and body in one writev, without copying them into one buffer first.
        socket.cork();
        socket.write(h);
        socket.write(body);
        socket.uncork();
      },
      end: () => socket.end(),
    };
    socket.on('data', (/** @type {Buffer} */ chunk) => {
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      const end = buffered.indexOf(CRLF2);
      if (end < 0) return;
      const header = buffered.toString('latin1', 0, end);
      const length = /\r\ntransfer-encoding: *chunked/i.test(header)
        ? chunkedLength(buffered, end + 4)
        : Number(/\r\ncontent-length: *(\d+)/i.exec(header)?.[1] ?? 0);
      if (length < 0 || buffered.length < end + 4 + length) return;
      buffered = buffered.subarray(end + 4 + length);
      const done = current;
      current = undefined;
      if (/\r\nconnection: *close/i.test(header)) socket.destroy();
      else release(self);
      done?.resolve(Number(header.slice(9, 12)));
    });
    socket.on('error', (e) => current?.reject(e));
    socket.on('close', () => {
      open--;
      const i = idle.indexOf(self);
      if (i >= 0) idle.splice(i, 1);
      current?.reject(new Error('connection closed'));
      current = undefined;
      pump();
    });
    return self;
  };

  /** @param {Connection} c */
  const release = (c) => {
    const next = waiting.shift();
    if (next) c.send(next.body, next.resolve, next.reject);
    else idle.push(c);
  };
  const pump = () => {
    while (waiting.length && (idle.length || open < sockets)) {
      const c = idle.pop() ?? (open++, connection());
      const next = /** @type {(typeof waiting)[number]} */ (waiting.shift());
      c.send(next.body, next.resolve, next.reject);
    }
  };

  return {
    /** @param {Buffer} body @returns {Promise<number>} the status */
    post: (body) =>
      new Promise((resolve, reject) => {
        waiting.push({ body, resolve, reject });
        pump();
      }),
    close: () => {
      for (const c of idle.splice(0)) c.end();
    },
  };
};
