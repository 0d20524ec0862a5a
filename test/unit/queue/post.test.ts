import { afterEach, describe, expect, it, vi } from 'vitest';
import { beacon, post } from '../../../src/queue/post';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('post', () => {
  it('POSTs a string body (text/plain) and returns the status and Retry-After in ms', async () => {
    const f = vi.fn(async () => new Response('', { status: 503, headers: { 'Retry-After': '7' } }));
    vi.stubGlobal('fetch', f);
    expect(await post('/c', '{"v":1}')).toEqual([503, 7000]);
    const init = (f.mock.calls[0] as any)[1];
    expect(init).toMatchObject({ method: 'POST', body: '{"v":1}' });
    expect(typeof init.body).toBe('string');
    expect(init.keepalive).toBeFalsy();
  });
  it('reads Retry-After given as an HTTP date', async () => {
    const at = new Date(Date.now() + 60_000).toUTCString();
    vi.stubGlobal('fetch', async () => new Response('', { status: 429, headers: { 'Retry-After': at } }));
    const [st, ra] = await post('/c', 'x');
    expect(st).toBe(429);
    expect(ra).toBeGreaterThan(55_000);
    expect(ra).toBeLessThanOrEqual(60_000);
  });
  it('turns a rejected or throwing fetch into status 0', async () => {
    vi.stubGlobal('fetch', async () => Promise.reject(new TypeError('Failed to fetch')));
    expect(await post('/c', 'x')).toEqual([0, 0]);
    vi.stubGlobal('fetch', () => {
      throw new TypeError('nope');
    });
    expect(await post('/c', 'x')).toEqual([0, 0]);
  });
  it('passes keepalive when asked', async () => {
    const f = vi.fn(async () => new Response(null, { status: 204 }));
    vi.stubGlobal('fetch', f);
    expect(await post('/c', 'x', true)).toEqual([204, 0]);
    expect((f.mock.calls[0] as any)[1].keepalive).toBe(true);
  });
});

describe('beacon', () => {
  it('is false where sendBeacon is missing or throws', () => {
    vi.stubGlobal('navigator', {});
    expect(beacon('/c', 'x')).toBe(false);
    vi.stubGlobal('navigator', {
      sendBeacon: () => {
        throw new TypeError('quota');
      },
    });
    expect(beacon('/c', 'x')).toBe(false);
  });
  it('passes the string body (sent as text/plain;charset=UTF-8)', () => {
    const sendBeacon = vi.fn(() => true);
    vi.stubGlobal('navigator', { sendBeacon });
    expect(beacon('/c', '{"v":1}')).toBe(true);
    expect(sendBeacon).toHaveBeenCalledWith('/c', '{"v":1}');
  });
});
