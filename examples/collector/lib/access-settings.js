// The access and limit settings from variables (or the config file's keys for them), and the
// start-up line that says which protection is on.
import { LIMITS } from './collector.js';
import { parseHosts } from './hosts.js';

/** @param {Record<string, string | undefined>} env @param {string} name @returns {number | undefined} */
const number = (env, name) => {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name}: expected a number of 0 or more, got "${v}"`);
  return n;
};

/**
 * @param {Record<string, string | undefined>} env
 * @returns {Omit<import('./collector.js').CollectorOptions, 'storage'>}
 */
export const accessOptions = (env) => {
  const rate = number(env, 'JOURNEY_RATE');
  const rateBytes = number(env, 'JOURNEY_RATE_BYTES');
  return {
    token: env.JOURNEY_TOKEN || undefined,
    hosts: parseHosts(env.JOURNEY_HOSTS),
    trustProxy: env.JOURNEY_TRUST_PROXY,
    // Bursts of ten times the rate: a page's first batches come together.
    rate: rate === undefined ? undefined : { perSecond: rate, burst: rate * 10 },
    rateBytes: rateBytes === undefined ? undefined : { perSecond: rateBytes, burst: rateBytes * 10 },
    maxConnections: number(env, 'JOURNEY_MAX_CONNECTIONS'),
    bodyBudget: number(env, 'JOURNEY_BODY_BUDGET'),
  };
};

const int = new Intl.NumberFormat('en');
/** @param {number} n */
const mb = (n) => `${int.format(n / 1_000_000)} MB`;

/** @param {Omit<import('./collector.js').CollectorOptions, 'storage'>} o @returns {string} */
export const describeAccess = (o) => {
  const rate = o.rate ?? LIMITS.rate;
  const bytes = o.rateBytes ?? LIMITS.rateBytes;
  const conns = o.maxConnections ?? LIMITS.maxConnections;
  const budget = o.bodyBudget ?? LIMITS.bodyBudget;
  const hosts = o.hosts?.length ? `loopback names and ${o.hosts.join(', ')}` : 'loopback names only (JOURNEY_HOSTS adds more)';
  return [
    `  access:     ${o.token ? 'token required on report, API and erasure routes (log in at /login)' : 'no token: report routes answer direct loopback clients only'}`,
    `  hosts:      ${hosts}`,
    `  proxies:    ${o.trustProxy ? `X-Forwarded-For trusted from ${o.trustProxy}` : 'none trusted (rate limits key on the peer address)'}`,
    `  limits:     ${rate.perSecond ? `${int.format(rate.perSecond)} requests/s` : 'no request limit'} and ${bytes.perSecond ? `${mb(bytes.perSecond)}/s` : 'no byte limit'} per client, ${conns ? int.format(conns) : 'unlimited'} connections, ${budget ? mb(budget) : 'unlimited'} of bodies in flight`,
  ].join('\n');
};
