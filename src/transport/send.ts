/** Status of a POST (0: network error or timeout) and the server's Retry-After in ms (0: none). */
export type Answer = [number, number];

/** `Retry-After` is either seconds or an HTTP date. Read cross-origin only if the endpoint exposes it (CORS). */
const after = (h: string | null): number => (!h ? 0 : +h >= 0 ? +h * 1e3 : Math.max(0, Date.parse(h) - Date.now()) || 0);

/**
 * POST a batch and see the answer. A string body goes as `text/plain;charset=UTF-8`, a CORS-simple request:
 * no preflight. `keepalive` lets it outlive the page (same 64 KiB in-flight quota as beacons). Never rejects.
 */
export const post = (url: string, body: string, keepalive?: boolean): Promise<Answer> => {
  try {
    const A = AbortSignal as any;
    return fetch(url, {
      method: 'POST',
      body,
      keepalive,
      // A hung request would hold the cross-tab lock: give up after 30 s and retry later.
      signal: A.timeout && A.timeout(3e4),
    }).then(
      (r): Answer => [r.status, after(r.headers.get('Retry-After'))],
      (): Answer => [0, 0],
    );
  } catch {
    return Promise.resolve([0, 0]);
  }
};

/** Queue a beacon (`text/plain;charset=UTF-8` for a string). `false`: refused (quota, size) or unsupported. */
export const beacon = (url: string, body: string): boolean => {
  try {
    return navigator.sendBeacon(url, body);
  } catch {
    return false;
  }
};

/**
 * Wait before retry `n` (1, 2, …): 1 s doubling up to 5 min, with jitter (a random 50–100 % of it) so tabs
 * and visitors do not retry in step after an outage; a later Retry-After wins. At most an hour, which also
 * keeps it inside setTimeout's 2^31 ms range.
 */
export const backoff = (n: number, retryAfter: number): number =>
  Math.min(Math.max(Math.min(3e5, 500 * 2 ** n) * (0.5 + Math.random() / 2), retryAfter), 36e5);
