// Events of crawlers (user-agent.js) are dropped at ingest and counted per site and UTC day, so the report can
// say how many it left out. Counted in memory and added to the engine's `bots` table every few seconds: one
// small write for a crawl of thousands of beacons.
import { DAY } from './range.js';

/**
 * @param {Pick<import('./storage/index.js').Storage, 'addBots'>} storage
 * @param {{ everyMs?: number }} [opts]
 */
export const createBotCount = (storage, { everyMs = 5_000 } = {}) => {
  /** @type {Map<string, { site: string, day: number, n: number }>} */
  let counts = new Map();
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const flush = async () => {
    timer = undefined;
    if (!counts.size || !storage.addBots) return;
    const rows = [...counts.values()];
    counts = new Map();
    await storage.addBots(rows).catch((e) => {
      // Kept for the next flush: a count is worth a retry, never a lost beacon.
      for (const r of rows) add(r.site, r.day * DAY, r.n);
      console.error(`collector: bot counts not stored: ${String(e).split('\n')[0]}`);
    });
  };
  /** @param {string} site @param {number} time @param {number} n */
  const add = (site, time, n) => {
    const day = Math.floor(time / DAY);
    const key = `${day} ${site}`;
    const c = counts.get(key) ?? { site, day, n: 0 };
    c.n += n;
    counts.set(key, c);
    if (!timer) (timer = setTimeout(flush, everyMs)).unref();
  };
  return {
    add,
    /** Store what is counted now (the collector's close). */
    flush: () => (clearTimeout(timer), flush()),
  };
};
