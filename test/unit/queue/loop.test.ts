import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLoop, type Loop } from '../../../src/queue/loop';
import { createStore, HELD, type Store } from '../../../src/queue/store';
import { elapse, ev, setup, storedKeys, type Endpoint } from './harness';

let ep: Endpoint;
let store: Store;
let loop: Loop;
const log = vi.fn();

beforeEach(() => {
  ep = setup();
  log.mockReset();
  const o = { endpoint: '/collect', site: 'my-shop', log, hold: false };
  store = createStore(o);
  loop = createLoop(o, store);
});
afterEach(() => {
  loop._stop();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const add = (n: number) => Array.from({ length: n }, () => ev()).map((e) => (store._add(e), e));

describe('send loop', () => {
  it('a round sends what is stored, oldest first, and deletes what was answered 2xx', async () => {
    const list = add(3);
    await loop._run();
    expect(ep.ids()).toEqual(list.map((e) => e.id));
    expect(ep.batches[0]).toMatchObject({ v: 1, site: 'my-shop' });
    expect(await storedKeys()).toEqual([]);
    expect(store._own.size).toBe(0);
  });

  it('schedules a round a second after the first event, at once on the 100th', async () => {
    add(1);
    loop._fresh();
    await elapse(900);
    expect(ep.batches).toHaveLength(0);
    await elapse(200);
    expect(ep.batches).toHaveLength(1);
    for (const _ of add(100)) loop._fresh();
    await elapse(60);
    expect(ep.batches).toHaveLength(2);
  });

  it('keeps events and retries later on a 503, and on coming back online at once', async () => {
    ep.reply = () => 503;
    const list = add(2);
    await loop._run();
    expect(await storedKeys()).toHaveLength(2);
    expect(log).toHaveBeenCalledWith('retry', 503, expect.any(Number));
    ep.reply = () => 204;
    loop._online();
    await elapse(0);
    expect(ep.ids()).toEqual([...list, ...list].map((e) => e.id));
    expect(await storedKeys()).toEqual([]);
  });

  it('drops a batch refused for good, and reports the count with the next one', async () => {
    ep.reply = (_b, i) => (i == 0 ? 400 : 204);
    add(2);
    await loop._run();
    expect(await storedKeys()).toEqual([]);
    add(1);
    await loop._run();
    expect(ep.batches[1].dropped).toBe(2);
    expect(store._dropped).toBe(0);
  });

  it('sends nothing while held', async () => {
    add(1);
    store._stop = HELD;
    await loop._run();
    expect(ep.batches).toHaveLength(0);
  });
});
