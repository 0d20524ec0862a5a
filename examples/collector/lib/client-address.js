// Who is asking: the address rate limits key on, whether a proxy stood in between, and whether the
// visitor's connection was HTTPS. Forwarding headers are believed only from proxies the operator
// names (JOURNEY_TRUST_PROXY): anyone else can write them.
import { BlockList, isIP } from 'node:net';

/** Loopback as a name in JOURNEY_TRUST_PROXY, for the usual same-host nginx or Caddy. */
const NAMED = { loopback: ['127.0.0.0/8', '::1/128'] };
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1)$/;
/** Headers a proxy adds; any of them means the client is not talking to us directly. */
const PROXY_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'];

/** `::ffff:1.2.3.4` is an IPv4 client on a dual-stack socket. @param {string} ip */
const plain = (ip) => (ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip);

/** @param {string} ip */
export const isLoopback = (ip) => LOOPBACK.test(plain(ip));

/**
 * Parse a list of addresses and CIDRs (`10.0.0.0/8, ::1, loopback`). Throws on anything else,
 * so a typo stops the start instead of trusting nobody (or everybody).
 * @param {string | undefined} list
 * @returns {{ list: BlockList, names: string[] }}
 */
export const parseTrusted = (list) => {
  const blocks = new BlockList();
  const names = (list ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names) {
    for (const entry of /** @type {Record<string, string[]>} */ (NAMED)[name] ?? [name]) {
      const [addr, bits] = entry.split('/');
      const type = isIP(addr) === 6 ? 'ipv6' : isIP(addr) === 4 ? 'ipv4' : undefined;
      const prefix = bits === undefined ? undefined : Number(bits);
      const max = type === 'ipv4' ? 32 : 128;
      if (!type || (prefix !== undefined && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= max)))
        throw new Error(`JOURNEY_TRUST_PROXY: "${name}" is not an address, a CIDR or "loopback"`);
      if (prefix === undefined) blocks.addAddress(addr, type);
      else blocks.addSubnet(addr, prefix, type);
    }
  }
  return { list: blocks, names };
};

/** The `for=` addresses of a `Forwarded` header (RFC 7239), ports and brackets removed. @param {string} h */
const forwardedFor = (h) =>
  [...h.matchAll(/for=("?)\[?([^\]";,]+)\]?(?::\d+)?\1/gi)].map((m) => m[2].replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, '$1'));

/** @param {string | string[] | undefined} h */
const joined = (h) => (Array.isArray(h) ? h.join(',') : (h ?? ''));

/**
 * @param {{ list: BlockList, names: string[] }} proxies  from parseTrusted
 * @returns {(req: import('node:http').IncomingMessage) => { ip: string, peer: string, proxied: boolean, trusted: boolean, https: boolean }}
 */
export const createClientAddress = (proxies) => {
  /** @param {string} ip */
  const trusts = (ip) => isIP(ip) !== 0 && proxies.list.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4');
  return (req) => {
    const peer = plain(req.socket.remoteAddress ?? '');
    const proxied = PROXY_HEADERS.some((h) => req.headers[h] !== undefined);
    const trusted = proxied && trusts(peer);
    if (!trusted) return { ip: peer, peer, proxied, trusted, https: Boolean(/** @type {any} */ (req.socket).encrypted) };
    // Walk the chain from our side: the first hop we do not trust is the client. A client can put
    // anything on the left of the list; only what our own proxies appended counts.
    const xff = joined(req.headers['x-forwarded-for']);
    const fwd = joined(req.headers.forwarded);
    const hops = (xff ? xff.split(',') : forwardedFor(fwd)).map((s) => plain(s.trim())).filter(Boolean);
    let ip = peer;
    for (let i = hops.length - 1; i >= 0; i--) {
      ip = hops[i];
      if (!trusts(ip)) break;
    }
    const proto = joined(req.headers['x-forwarded-proto']).split(',')[0].trim() || /proto=("?)(\w+)\1/i.exec(fwd)?.[2] || '';
    return { ip, peer, proxied, trusted, https: proto.toLowerCase() === 'https' };
  };
};
