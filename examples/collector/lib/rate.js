/**
 * A token bucket per key (a client address): `perSecond` units a second on average, bursts up to
 * `burst`. A unit is whatever the caller counts: requests, body bytes, failed guesses.
 * @param {{ perSecond: number, burst: number }} opts  perSecond 0 turns it off
 */
export const createRateLimit = ({ perSecond, burst }) => {
  /** @type {Map<string, { tokens: number, at: number }>} */
  let buckets = new Map();
  /** @param {string} key @param {number} now */
  const refill = (key, now) => {
    // Forget everyone at once rather than track ages: a refilled bucket is the same as none.
    if (buckets.size > 100_000) buckets = new Map();
    const b = buckets.get(key) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
    buckets.set(key, b);
    return b;
  };
  /** Seconds until `cost` units are there (at least 1, for Retry-After). @param {{ tokens: number }} b @param {number} cost */
  const waitFor = (b, cost) => Math.max(1, Math.ceil((Math.min(cost, burst) - b.tokens) / perSecond));
  return {
    /**
     * Spend `cost` units if the bucket has them.
     * @param {string} key @param {number} [cost] @param {number} [now]
     * @returns {number} 0 when it may pass, else the seconds to wait
     */
    take: (key, cost = 1, now = Date.now()) => {
      if (perSecond <= 0) return 0;
      const b = refill(key, now);
      // A single cost over the burst could never pass: let it through on a full bucket instead.
      if (b.tokens < Math.min(cost, burst)) return waitFor(b, cost);
      b.tokens -= cost;
      return 0;
    },
    /** Like take, without spending: may `cost` units pass now? @param {string} key @param {number} [cost] @param {number} [now] */
    wait: (key, cost = 1, now = Date.now()) => {
      if (perSecond <= 0) return 0;
      const b = refill(key, now);
      return b.tokens < Math.min(cost, burst) ? waitFor(b, cost) : 0;
    },
  };
};
/** @typedef {ReturnType<typeof createRateLimit>} RateLimit */
