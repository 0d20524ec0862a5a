// Which Host names we serve: loopback names always, the operator's (JOURNEY_HOSTS) besides. A page
// on another site that rebinds its own name to 127.0.0.1 still sends its own name: refused here.

const LOOPBACK_NAME = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/** @param {string | undefined} list comma-separated names; `*` serves any (only with a token) */
export const parseHosts = (list) =>
  (list ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);

/** @param {string} host a Host header */
const nameOf = (host) => host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');

/** @param {string | undefined} host */
export const isLoopbackHost = (host) => host !== undefined && LOOPBACK_NAME.test(nameOf(host));

/**
 * @param {string[]} names
 * @returns {(host: string | undefined) => boolean}
 */
export const createHostCheck = (names) => {
  const any = names.includes('*');
  const set = new Set(names.map(nameOf));
  return (host) => host !== undefined && (any || isLoopbackHost(host) || set.has(nameOf(host)));
};

/** The refusal of a Host name we do not serve (421 Misdirected Request). @param {string | undefined} host */
export const notServed = (host) => `host ${host ?? '(none)'} is not served here: add it to JOURNEY_HOSTS`;
