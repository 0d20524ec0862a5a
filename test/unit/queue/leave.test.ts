import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLeave } from '../../../src/queue/leave';
import { createStore, HELD, type Store } from '../../../src/queue/store';
import { elapse, ev, offNavigator, onNavigator, setup, storedKeys, type Endpoint } from './harness';

let ep: Endpoint;
let store: Store;
let leave: () => Promise<void>;
let beacons: string[];

beforeEach(() => {
  ep = setup();
  beacons = [];
  onNavigator('sendBeacon', (_u: string, body: string) => (beacons.push(body), true));
  const o = { endpoint: '/collect', site: 'my-shop', log: () => {}, hold: false };
  store = createStore(o);
  leave = createLeave(o, store);
});
afterEach(() => {
  offNavigator('sendBeacon');
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const sentIds = () => beacons.flatMap((b) => JSON.parse(b).events.map((e: { id: string }) => e.id));

describe('leaving page', () => {
  it('beacons the page events in the leaving task, writes them, copies them for rescue, deletes nothing', async () => {
    const list = [ev(), ev()];
    for (const e of list) store._add(e);
    leave();
    expect(sentIds()).toEqual(list.map((e) => e.id));
    expect(JSON.parse(localStorage.getItem('journey:rescue')!).map((e: { id: string }) => e.id)).toEqual(list.map((e) => e.id));
    await elapse(0);
    expect(await storedKeys()).toHaveLength(2);
    expect(store._own.size).toBe(2);
  });

  it('a second leave (pagehide after hidden) beacons nothing again', () => {
    store._add(ev());
    leave();
    leave();
    expect(beacons).toHaveLength(1);
  });

  it('falls back to a keepalive fetch and deletes what it saw answered 2xx', async () => {
    onNavigator('sendBeacon', () => false);
    store._add(ev());
    leave();
    expect(ep.inits[0].keepalive).toBe(true);
    await elapse(0);
    expect(store._own.size).toBe(0);
    expect(await storedKeys()).toEqual([]);
  });

  it('keeps the bytes in flight under 64 KiB', () => {
    for (let i = 0; i < 200; i++) store._add(ev({ note: 'x'.repeat(1000) }));
    leave();
    const total = beacons.reduce((n, b) => n + b.length, 0);
    expect(total).toBeLessThanOrEqual(65_536);
    expect(total).toBeGreaterThan(50_000);
  });

  it('sends and copies nothing while held', () => {
    store._stop = HELD;
    store._add(ev());
    leave();
    expect(beacons).toHaveLength(0);
    expect(localStorage.getItem('journey:rescue')).toBeNull();
  });
});
