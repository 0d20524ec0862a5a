import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoff, ok, refused } from '../../../src/queue/retry';

afterEach(() => vi.restoreAllMocks());

describe('ok', () => {
  it('is every 2xx and nothing just outside', () => {
    for (const st of [200, 202, 204, 299]) expect(ok(st)).toBe(true);
    for (const st of [0, 199, 300, 304, 400, 500]) expect(ok(st)).toBe(false);
  });
});

describe('refused', () => {
  it('is a 4xx a retry will not change: 400, 401, 403, 404, 410, 413, 499', () => {
    for (const st of [400, 401, 403, 404, 410, 413, 499]) expect(refused(st)).toBe(true);
  });
  it('is not 408, 429, a 5xx, a network error or anything below 400', () => {
    for (const st of [0, 204, 399, 408, 429, 500, 503]) expect(refused(st)).toBe(false);
  });
});

describe('backoff', () => {
  it('doubles per try within its jitter band and stops at 5 minutes', () => {
    for (const r of [0, 0.999]) {
      vi.spyOn(Math, 'random').mockReturnValue(r);
      for (let n = 1; n < 12; n++) {
        const full = Math.min(3e5, 500 * 2 ** n);
        const d = backoff(n, 0);
        expect(d).toBeGreaterThanOrEqual(full / 2);
        expect(d).toBeLessThanOrEqual(full);
      }
    }
  });
  it('waits at least Retry-After, at most an hour', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    expect(backoff(1, 120_000)).toBe(120_000);
    expect(backoff(1, 1e9)).toBe(36e5);
    expect(backoff(1, 10)).toBe(500);
  });
});
