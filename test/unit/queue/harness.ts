import { IDBFactory } from 'fake-indexeddb';
import { createStore, entries, setMany } from 'idb-keyval';
import { vi } from 'vitest';
import type { JourneyEvent } from '../../../src/types';

/** Shared by the queue tests: a fresh IndexedDB, fake clocks, a capturing endpoint and beacon. */
export type Batch = { v: number; site: string; sent_at: number; events: JourneyEvent[]; dropped?: number };

let n = 0;
/** Ids sort like ULIDs: later events get larger ids. */
export const ev = (props: Record<string, unknown> = {}, type = 'view_item'): JourneyEvent => ({
  id: 'E' + String(++n).padStart(25, '0'),
  type,
  time: 1763800000000 + n,
  visitor_id: 'v',
  session_id: 's',
  stage: 'consideration',
  url: 'https://shop.example/p',
  referrer: '',
  title: 'P',
  props,
});

export const db = () => createStore('journey-tracker', 'events');
export const storedKeys = async () => (await entries(db())).map((r) => String(r[0]));
export const seed = (events: JourneyEvent[], prefix = '1:') =>
  setMany(
    events.map((e) => [prefix + e.id, e]),
    db(),
  );

/** Real turns of the event loop: fake-indexeddb answers on setImmediate, which the tests leave real. */
export const idle = async (turns = 400) => {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
};
/** Move the fake clock on, then let IndexedDB and fetch answers land. */
export const elapse = async (ms: number) => {
  await vi.advanceTimersByTimeAsync(ms);
  await idle();
};

export interface Endpoint {
  batches: Batch[];
  inits: RequestInit[];
  /** Status (or full Response) for the i-th POST; default 204. */
  reply: (b: Batch, i: number) => number | Response;
  ids(): string[];
}

export const setup = (): Endpoint => {
  (globalThis as any).indexedDB = new IDBFactory();
  // The rescue key of a page left in an earlier test is not this test's.
  localStorage.clear();
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  const ep: Endpoint = {
    batches: [],
    inits: [],
    reply: () => 204,
    ids: () => ep.batches.flatMap((b) => b.events.map((e) => e.id)),
  };
  vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
    const b = JSON.parse(init.body as string);
    ep.batches.push(b);
    ep.inits.push(init);
    const r = ep.reply(b, ep.batches.length - 1);
    if (r === 0) throw new TypeError('Failed to fetch');
    return typeof r == 'number' ? new Response(null, { status: r }) : r;
  });
  return ep;
};

/** Put `value` on navigator for one test (jsdom has no sendBeacon and no locks). */
export const onNavigator = (name: string, value: unknown) =>
  Object.defineProperty(navigator, name, { value, configurable: true, writable: true });
export const offNavigator = (name: string) => delete (navigator as any)[name];

/** A minimal Web Locks manager: one holder at a time, FIFO, shared by every "tab" in the test. */
export const fakeLocks = () => {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    request: (_name: string, fn: () => Promise<unknown>) => {
      const r = tail.then(() => fn());
      tail = r.catch(() => {});
      return r;
    },
  };
};
