// The capture server itself: what the delivery scenarios rely on when they count ids.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCapture } from './capture.mjs';

const batch = (...ids) => JSON.stringify({ v: 1, site: 's', sent_at: 1, events: ids.map((id) => ({ id, type: 't' })) });
const post = (cap, body) =>
  fetch(cap.url('/collect'), { method: 'POST', body, headers: { 'content-type': 'text/plain;charset=UTF-8' } });

describe('capture server', () => {
  let cap;
  beforeAll(async () => {
    cap = await createCapture();
  });
  afterAll(() => cap.close());
  beforeEach(() => cap.reset());

  it('stores 2xx batches and counts repeats of an id as duplicates', async () => {
    expect((await post(cap, batch('A', 'B'))).status).toBe(200);
    expect((await post(cap, batch('B', 'C'))).status).toBe(200);
    expect([...cap.uniqueIds()].sort()).toEqual(['A', 'B', 'C']);
    expect(cap.duplicates()).toEqual([['B', 2]]);
    const s = cap.stats(['A', 'B', 'D']);
    expect(s).toMatchObject({ created: 3, received: 3, unique: 2, missing: ['D'], rate: 1.5 });
    expect(cap.requests[0].contentType).toBe('text/plain;charset=UTF-8');
  });

  it('answers a sequence (500, 503 with Retry-After) and stores only what got a 2xx', async () => {
    cap.answerSequence([500, { status: 503, retryAfter: 2 }]);
    expect((await post(cap, batch('A'))).status).toBe(500);
    const r = await post(cap, batch('A'));
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('2');
    expect(cap.uniqueIds().size).toBe(0);
    expect((await post(cap, batch('A'))).status).toBe(200);
    expect([...cap.uniqueIds()]).toEqual(['A']);
    expect(cap.requests.map((q) => q.answered)).toEqual(['500', '503', '200']);
  });

  it('answers 400 to a body that is not JSON and stores nothing', async () => {
    expect((await post(cap, 'not json')).status).toBe(400);
    expect(cap.batches()).toEqual([]);
  });

  it('answers 413 when told to, e.g. for bodies over a size', async () => {
    cap.answer((r) => (r.bytes > 100 ? 413 : 200));
    expect((await post(cap, batch(...'ABCDEFGHIJKLMNOP'))).status).toBe(413);
    expect((await post(cap, batch('A'))).status).toBe(200);
    expect([...cap.uniqueIds()]).toEqual(['A']);
  });

  it('drops the connection: the client sees a network error and nothing is stored', async () => {
    cap.answer(() => 'drop');
    await expect(post(cap, batch('A'))).rejects.toThrow();
    expect(cap.requests).toHaveLength(1);
    expect(cap.batches()).toEqual([]);
  });

  it('a stopped listener refuses connections; started again it listens on the same port', async () => {
    const port = cap.port;
    cap.answer(() => 'hang');
    const hung = post(cap, batch('H'));
    await cap.waitForEvents(() => cap.requests.length === 1);
    await cap.stop();
    await expect(hung).rejects.toThrow();
    await expect(post(cap, batch('A'))).rejects.toThrow();
    await cap.start();
    cap.answer(null);
    expect(cap.port).toBe(port);
    expect((await post(cap, batch('A'))).status).toBe(200);
    expect([...cap.uniqueIds()]).toEqual(['A']);
  });

  it('waitForIds resolves once all arrived and names the missing ones on timeout', async () => {
    const waiting = cap.waitForIds(['A', 'B'], 5_000);
    await post(cap, batch('A'));
    await post(cap, batch('B'));
    await expect(waiting).resolves.toHaveLength(2);
    await expect(cap.waitForIds(['A', 'Z'], 100)).rejects.toThrow(/1 of 2 ids never stored: Z/);
  });

  it('serves fixture pages with the configured endpoint in the snippet', async () => {
    const html = await (await fetch(cap.url('/shop/any/path'))).text();
    expect(html).toContain('data-endpoint="/collect"');
    cap.endpoint = 'http://127.0.0.1:9/collect';
    const other = await (await fetch(cap.url('/queued/'))).text();
    cap.endpoint = '/collect';
    expect(other).toContain('data-endpoint="http://127.0.0.1:9/collect"');
    expect(other).toContain("journey('track', 'queued_1'");
    expect((await fetch(cap.url('/nope/'))).status).toBe(404);
  });

  it('lets a page on another origin read the answer (CORS) and preflights pass', async () => {
    const r = await fetch(cap.url('/collect'), {
      method: 'POST',
      body: batch('A'),
      headers: { origin: 'http://127.0.0.1:1', 'content-type': 'text/plain' },
    });
    expect(r.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:1');
    expect(r.headers.get('access-control-expose-headers')).toMatch(/Retry-After/);
    const pre = await fetch(cap.url('/collect'), { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:1' } });
    expect(pre.status).toBe(204);
  });
});
