import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage } from '../../examples/collector/lib/storage/index.js';
import { ulid, createRandom } from '../../examples/collector/lib/journeys.js';

const rnd = createRandom(42);
/** A fresh ULID at `time`. */
export const id = (time = Date.now()) => ulid(time, rnd);

/** A valid wire-format event; `over` replaces or adds fields. */
export const event = (over = {}) => ({
  id: id(typeof over.time === 'number' ? over.time : Date.now()),
  type: 'page_view',
  time: Date.now() - 1000,
  visitor_id: 'v1',
  session_id: 's1',
  stage: 'awareness',
  url: 'https://shop.example/',
  referrer: '',
  title: 'Home',
  props: {},
  ...over,
});

export const batch = (events, over = {}) => ({ v: 1, site: 'test-shop', sent_at: Date.now(), events, ...over });

/** A storage engine in a temporary directory, removed by `done`. */
export const tempStorage = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'journey-test-'));
  const storage = await createStorage({ JOURNEY_DATA: dir });
  return { storage, dir, done: async () => (await storage.close().catch(() => {}), rmSync(dir, { recursive: true, force: true })) };
};
