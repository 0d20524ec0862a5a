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
    return fetch(url, {
      method: 'POST',
      body,
      keepalive,
      // A hung request would hold the cross-tab lock: give up after 30 s and retry later.
      signal: (AbortSignal as any).timeout?.(3e4),
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
