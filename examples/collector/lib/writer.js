/**
 * Group commit: batches arriving while a write is under way, or within `delayMs` of the first one
 * waiting, go to the database in one transaction, and each caller's promise settles only after that commit.
 * One transaction per beacon would cap ingest at a few thousand events a second.
 * Past `maxQueued` rows waiting (the database is slow or down) new writes fail at once, so callers
 * answer 503 instead of holding beacons in memory.
 * A group the database refuses is written again in halves, down to the single batch it refuses: one
 * bad row fails its own batch, never the other sites' batches of its group.
 * @param {import('./storage/index.js').Storage} storage
 * @param {{ delayMs?: number, maxRows?: number, maxQueued?: number, failingMs?: number }} [opts]
 *   failingMs: how long after a group that wrote nothing `failing()` says so (unless a write succeeds first)
 */
export const createWriter = (storage, { delayMs = 2, maxRows = 50_000, maxQueued = 4 * maxRows, failingMs = 30_000 } = {}) => {
  /**
   * A batch waiting: its rows, or where an engine that encodes them on arrival (storage.block) put their bytes.
   * @typedef {{ n: number, done: (e?: unknown) => void } & ({ rows: import('./validate.js').StoredRow[] } | { block: import('./storage/rowbinary.js').Block, from: number, to: number })} Entry
   */
  /** @type {Entry[]} */
  let pending = [];
  let queued = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let busy = false;
  /** @type {(() => void)[]} */
  const idle = [];
  /** Work to start between two groups (erasures), in order. @type {(() => void)[]} */
  let tasks = [];
  /**
   * Asked for while a group was written: the writes waiting then (the first `cut` of `pending`) go before the
   * tasks, later ones after them. -1: none.
   */
  let cut = -1;
  let failedAt = 0;
  let wroteAt = 0;
  /** Where writes are encoded until a group takes them (engines with storage.block). @type {import('./storage/rowbinary.js').Block | undefined} */
  let block;
  /** When the oldest write waiting arrived: the group is due `delayMs` after it, however long the last insert took. */
  let firstAt = 0;

  /**
   * The rows of these batches, each (site, id) once: a repeat inside one statement would make the key
   * reject all of it. The same id under two sites is two events.
   * @param {Entry[]} entries
   */
  const rowsOf = (entries) => {
    // Keyed by the id's text: a string caches its hash, a bigint is hashed again at every lookup.
    /** @type {Map<string, Set<string>>} */
    const seen = new Map();
    const rows = [];
    for (const g of /** @type {Extract<Entry, { rows: unknown }>[]} */ (entries))
      for (const r of g.rows) {
        let ids = seen.get(r.site);
        if (!ids) seen.set(r.site, (ids = new Set()));
        if (!ids.has(r.ulid)) ids.add(r.ulid), rows.push(r);
      }
    return rows;
  };

  /**
   * The encoded batches as one insert's bytes: one range of their block when they follow each other there (a
   * whole group), else copied together (a half of one, or a group around an erasure). Repeats are not looked
   * for: an engine that encodes writes in parts that other collectors write to as well, and drops repeats
   * when it reads.
   * @param {Entry[]} entries @returns {import('./storage/rowbinary.js').Encoded}
   */
  const bytesOf = (entries) => {
    const parts = /** @type {Extract<Entry, { block: unknown }>[]} */ (entries);
    let count = 0;
    let whole = true;
    for (let i = 0; i < parts.length; i++) {
      count += parts[i].n;
      if (i && (parts[i].block !== parts[i - 1].block || parts[i].from !== parts[i - 1].to)) whole = false;
    }
    const first = parts[0];
    const bytes = whole
      ? first.block.bytes(first.from, parts[parts.length - 1].to)
      : Buffer.concat(parts.map((g) => g.block.bytes(g.from, g.to)));
    return { count, bytes };
  };

  /**
   * Writes the batches in one insert; when the database refuses it, each half again, so only the batch it
   * refuses on its own fails. An engine that does not answer its ping fails them all at once: halving
   * would only repeat the same error.
   * @param {Entry[]} entries @returns {Promise<boolean>} whether any of them was written
   */
  const commit = async (entries) => {
    try {
      await storage.insert('block' in entries[0] ? bytesOf(entries) : rowsOf(entries));
    } catch (e) {
      const down = entries.length > 1 && storage.ping && !(await storage.ping().catch(() => false));
      if (entries.length === 1 || down) {
        for (const g of entries) g.done(e);
        return false;
      }
      const mid = entries.length >> 1;
      const a = await commit(entries.slice(0, mid));
      return (await commit(entries.slice(mid))) || a;
    }
    for (const g of entries) g.done();
    return true;
  };

  const run = async () => {
    timer = undefined;
    busy = true;
    const group = cut < 0 ? pending : pending.slice(0, cut);
    pending = cut < 0 ? [] : pending.slice(cut);
    cut = -1;
    // Later writes go to a new block; those left waiting by a cut keep theirs.
    block = undefined;
    queued = 0;
    firstAt = Date.now();
    for (const g of pending) queued += g.n;
    // The tasks asked for before this group was taken; those asked for while it is written wait for the next one.
    const due = new Set(tasks);
    if (group.length) {
      if (await commit(group)) wroteAt = Date.now();
      else failedAt = Date.now();
    }
    // Between two groups: an erasure waits for the group being written and the writes waiting when it was asked for
    // (the events it must erase may be among them), however steadily beacons arrive. Started, not awaited: an engine
    // that serialises its writes (DuckDB) runs it before the next group, and one that does not (ClickHouse, whose
    // erasure is a mutation that may take seconds) keeps taking beacons meanwhile.
    const now = tasks.filter((t) => due.has(t));
    tasks = tasks.filter((t) => !due.has(t));
    for (const t of now) t();
    busy = false;
    if (pending.length || tasks.length) schedule();
    else for (const f of idle.splice(0)) f();
  };

  const schedule = () => {
    if (busy || timer) return;
    timer = setTimeout(run, queued >= maxRows || tasks.length ? 0 : Math.max(0, firstAt + delayMs - Date.now()));
  };

  return {
    /**
     * @param {import('./validate.js').StoredRow[]} rows
     * @returns {Promise<void>} resolves once committed
     */
    write(rows) {
      if (queued >= maxQueued) return Promise.reject(new Error(`write queue full (${queued} rows waiting)`));
      /** @type {Entry} */
      let entry = { n: rows.length, rows, done: () => {} };
      if (storage.block) {
        // Encoded now; no closure here holds `rows`, so they are garbage once this returns. A row the engine
        // cannot encode throws: this write is refused, the block keeps the others.
        block ??= storage.block();
        const from = block.size;
        try {
          block.add(rows);
        } catch (e) {
          return Promise.reject(e);
        }
        entry = { n: rows.length, block, from, to: block.size, done: entry.done };
      }
      return new Promise((resolve, reject) => {
        entry.done = (e) => (e ? reject(e) : resolve());
        if (!pending.length) firstAt = Date.now();
        pending.push(entry);
        queued += entry.n;
        if (queued >= maxRows && timer) clearTimeout(timer), (timer = undefined);
        schedule();
      });
    },
    /**
     * Starts `task` after the group being written and the writes waiting now, before any later one is written.
     * Rejects, and never runs it, when it has not started within `waitMs` (the database is that slow).
     * @template T @param {() => Promise<T>} task @param {number} [waitMs] @returns {Promise<T>}
     */
    between(task, waitMs = 10_000) {
      return new Promise((resolve, reject) => {
        // The executor runs task() at once and turns a throw into a rejection.
        const t = () => (clearTimeout(late), new Promise((r) => r(task())).then(resolve, reject));
        const late = setTimeout(() => {
          const i = tasks.indexOf(t);
          if (i >= 0) tasks.splice(i, 1), reject(new Error(`writer busy for ${waitMs} ms`));
        }, waitMs);
        tasks.push(t);
        if (busy) cut = pending.length;
        if (timer) clearTimeout(timer), (timer = undefined);
        schedule();
      });
    },
    /** Whether the last group wrote nothing, within the last `failingMs` (a full disk, a database down). */
    failing: () => failedAt > wroteAt && Date.now() - failedAt < failingMs,
    /** @returns {Promise<void>} resolves when everything accepted so far is committed */
    drain() {
      return !busy && !pending.length && !tasks.length ? Promise.resolve() : new Promise((r) => idle.push(r));
    },
  };
};
