// Beacons gathered into large inserts: many at once make few inserts, and none is answered 2xx before
// its rows are written — a failed insert fails every beacon in it, and a collector that dies before
// writing loses nothing the tracker would not send again.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCollector } from '../../examples/collector/lib/collector.js';
import { batch, describeEngine, engines, event, tempStorage } from './helpers.mjs';

const SERVER = fileURLToPath(new URL('../../examples/collector/server.js', import.meta.url));

/** POST a batch; the status, or 0 when the connection broke. */
const post = (base, events) =>
  fetch(`${base}/collect`, { method: 'POST', body: JSON.stringify(batch(events)) }).then(
    async (r) => (await r.arrayBuffer(), r.status),
    () => 0,
  );

/** Wraps a storage's insert: counts and sizes its calls, and lets a test hold or fail them. */
const watched = (storage) => {
  const inserts = [];
  let gate;
  return {
    inserts,
    hold: () => {
      let open;
      gate = new Promise((r) => (open = r));
      return (/** @type {Error | undefined} */ e) => open(e);
    },
    storage: {
      ...storage,
      // The test's store outlives each collector it serves.
      close: async () => {},
      // Rows, or a block's bytes with their count (an engine that encodes rows as they arrive).
      insert: async (rows) => {
        inserts.push(rows.count ?? rows.length);
        const e = await gate;
        if (e) throw e;
        return storage.insert(rows);
      },
    },
  };
};

for (const engine of await engines())
  describeEngine(engine, 'gathering beacons', () => {
    let db;
    beforeAll(async () => {
      db = await tempStorage(engine);
    });
    afterAll(() => db?.done());

    it('answers 300 beacons sent at once after a few inserts, each event stored once', async () => {
      const w = watched(db.storage);
      const c = createCollector({ storage: w.storage, writer: { delayMs: 50 } });
      const base = `http://127.0.0.1:${await c.listen(0)}`;
      const before = await db.storage.count();
      const statuses = await Promise.all(
        Array.from({ length: 300 }, (_, i) => post(base, [event({ visitor_id: `g${i}` }), event({ visitor_id: `g${i}` })])),
      );
      await c.close();
      expect(statuses.every((s) => s === 200)).toBe(true);
      expect(w.inserts.reduce((a, b) => a + b, 0)).toBe(600);
      expect(w.inserts.length).toBeLessThan(30);
      expect((await db.storage.count()) - before).toBe(600);
    }, 60_000);

    it('fails every beacon of an insert that fails, and answers none of them before it does', async () => {
      const w = watched({ ...db.storage, ping: async () => false });
      const release = w.hold();
      const c = createCollector({ storage: w.storage, writer: { delayMs: 20 } });
      const base = `http://127.0.0.1:${await c.listen(0)}`;
      const answered = [];
      const all = Array.from({ length: 40 }, (_, i) =>
        post(base, [event({ visitor_id: `f${i}` })]).then((s) => (answered.push(s), s)),
      );
      // Gathered into an insert that is waiting: nobody has an answer yet.
      while (!w.inserts.length) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 100));
      expect(answered).toEqual([]);
      release(new Error('disk full'));
      const statuses = await Promise.all(all);
      await c.close();
      expect(statuses.filter((s) => s !== 503)).toEqual([]);
      expect(await db.storage.query?.(`SELECT count() AS n FROM events WHERE visitor_id LIKE 'f%'`)).toEqual([{ n: 0 }]);
    }, 60_000);

    it('a collector killed while its insert waits answered nothing 2xx; sent again, every event is stored once', async () => {
      const env = db.env('crash');
      // A writer that waits a minute before its first insert: the process dies with every beacon waiting.
      const child = spawn(process.execPath, [SERVER], {
        env: { ...process.env, ...env, PORT: '0', JOURNEY_FLUSH_MS: '60000' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const base = await new Promise((resolve, reject) => {
        let out = '';
        child.once('exit', () => reject(new Error(`collector did not start: ${out}`)));
        child.stderr.on('data', (d) => (out += d));
        child.stdout.on('data', (d) => {
          out += d;
          const m = /on (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]);
        });
      });
      const batches = Array.from({ length: 30 }, (_, i) => [event({ visitor_id: `k${i}` }), event({ visitor_id: `k${i}` })]);
      const sent = batches.map((b) => post(base, b));
      await new Promise((r) => setTimeout(r, 500));
      child.kill('SIGKILL');
      const statuses = await Promise.all(sent);
      expect(statuses.filter((s) => s >= 200 && s < 300)).toEqual([]);
      // The tracker sends again what got no 2xx, to a collector that is up.
      const storage = await db.open('crash');
      const c = createCollector({ storage, writer: { delayMs: 5 } });
      const again = `http://127.0.0.1:${await c.listen(0)}`;
      const retried = await Promise.all(batches.map((b, i) => (statuses[i] === 200 ? 200 : post(again, b))));
      expect(retried.every((s) => s === 200)).toBe(true);
      expect(await storage.count()).toBe(60);
      await c.close();
    }, 60_000);
  });
