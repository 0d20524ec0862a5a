/**
 * Group commit: batches arriving while a write is under way, or within `delayMs` of each other,
 * go to the database in one transaction, and each caller's promise settles only after that commit.
 * One transaction per beacon would cap ingest at a few thousand events a second.
 * Past `maxQueued` rows waiting (the database is slow or down) new writes fail at once, so callers
 * answer 503 instead of holding beacons in memory.
 * @param {import('./storage/index.js').Storage} storage
 * @param {{ delayMs?: number, maxRows?: number, maxQueued?: number }} [opts]
 */
export const createWriter = (storage, { delayMs = 2, maxRows = 50_000, maxQueued = 4 * maxRows } = {}) => {
  /** @type {{ rows: import('./validate.js').StoredRow[], done: (e?: unknown) => void }[]} */
  let pending = [];
  let queued = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let busy = false;
  /** @type {(() => void)[]} */
  let idle = [];

  const run = async () => {
    timer = undefined;
    busy = true;
    const group = pending;
    pending = [];
    queued = 0;
    // Repeats inside one group never reach the database: the key would reject the whole statement otherwise.
    const seen = new Set();
    const rows = [];
    for (const g of group) for (const r of g.rows) if (!seen.has(r.id)) seen.add(r.id), rows.push(r);
    /** @type {unknown} */
    let error;
    try {
      await storage.insert(rows);
    } catch (e) {
      error = e;
    }
    for (const g of group) g.done(error);
    busy = false;
    if (pending.length) schedule();
    else for (const f of idle.splice(0)) f();
  };

  const schedule = () => {
    if (busy || timer) return;
    timer = setTimeout(run, queued >= maxRows ? 0 : delayMs);
  };

  return {
    /**
     * @param {import('./validate.js').StoredRow[]} rows
     * @returns {Promise<void>} resolves once committed
     */
    write(rows) {
      if (queued >= maxQueued) return Promise.reject(new Error(`write queue full (${queued} rows waiting)`));
      return new Promise((resolve, reject) => {
        pending.push({ rows, done: (e) => (e ? reject(e) : resolve()) });
        queued += rows.length;
        if (queued >= maxRows && timer) clearTimeout(timer), (timer = undefined);
        schedule();
      });
    },
    /** @returns {Promise<void>} resolves when everything accepted so far is committed */
    drain() {
      return !busy && !pending.length ? Promise.resolve() : new Promise((r) => idle.push(r));
    },
  };
};
