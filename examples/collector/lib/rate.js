/**
 * A token bucket per client address: `perSecond` requests a second on average, bursts up to `burst`.
 * A browser sends a batch every few seconds, so the defaults only stop floods.
 * @param {{ perSecond: number, burst: number }} opts
 * @returns {(key: string, now?: number) => boolean} true when the request may pass
 */
export const createRateLimit = ({ perSecond, burst }) => {
  /** @type {Map<string, { tokens: number, at: number }>} */
  let buckets = new Map();
  return (key, now = Date.now()) => {
    if (perSecond <= 0) return true;
    // Forget everyone at once rather than track ages: a refilled bucket is the same as none.
    if (buckets.size > 100_000) buckets = new Map();
    const b = buckets.get(key) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
    buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  };
};
