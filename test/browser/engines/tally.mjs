// Counting without the page's help: WebDriver has no binding to report ids from a page that is
// unloading, so a scenario names what it made happen instead — tracked events by (type, props.i),
// page views and leaves by path — and the capture server's events are matched against that.
const pathOf = (url) => String(url).replace(/^https?:\/\/[^/]+/, '');

/** `burst#7`, `page_view /shop/a`, or undefined for events no scenario names (stage_change…). */
export const keyOf = (e) =>
  e.type === 'page_view' || e.type === 'page_leave'
    ? `${e.type} ${pathOf(e.url)}`
    : e.props && 'i' in e.props
      ? `${e.type}#${e.props.i}`
      : undefined;

/** Keys for `n` events `track(type, { i })`, i = 0…n-1. */
export const tracked = (type, n) => Array.from({ length: n }, (_, i) => `${type}#${i}`);
export const views = (...paths) => paths.map((p) => `page_view ${p}`);
export const leaves = (...paths) => paths.map((p) => `page_leave ${p}`);

/**
 * Delivery of `keys` at `cap`: created (keys), delivered (keys with a stored event), duplicates
 * (stored copies beyond the first of an id), recreated (keys stored under more than one id: the
 * same event made twice, which receivers cannot drop).
 */
export const tally = (cap, keys) => {
  const want = new Set(keys);
  const ids = new Map(); // key → Set(id)
  let copies = 0;
  for (const e of cap.events()) {
    const k = keyOf(e);
    if (!want.has(k)) continue;
    copies++;
    (ids.get(k) || ids.set(k, new Set()).get(k)).add(e.id);
  }
  const unique = [...ids.values()].reduce((n, s) => n + s.size, 0);
  return {
    created: want.size,
    delivered: ids.size,
    duplicates: copies - unique,
    missing: [...want].filter((k) => !ids.has(k)),
    recreated: [...ids].filter(([, s]) => s.size > 1).map(([k]) => k),
  };
};

/** Wait until every key has arrived; the error names the missing ones. */
export const waitForKeys = (cap, keys, timeout = 20_000) =>
  cap
    .waitForEvents(() => tally(cap, keys).missing.length === 0, timeout)
    .catch((e) => {
      const { missing } = tally(cap, keys);
      throw new Error(
        `${missing.length} of ${keys.length} events never stored: ${missing.slice(0, 12).join(', ')}\n${e.message}`,
      );
    });

/** Rows of the per-engine delivery table, printed once the file is done. */
export const createTable = (title) => {
  const rows = [];
  return {
    add: (engine, scenario, t) => rows.push({ engine, scenario, ...t }),
    skip: (engine, scenario, reason) => rows.push({ engine, scenario, skipped: reason }),
    print() {
      if (!rows.length) return;
      const lines = rows.map((r) =>
        r.skipped
          ? `  ${r.engine.padEnd(8)} ${r.scenario.padEnd(44)} skipped: ${r.skipped}`
          : `  ${r.engine.padEnd(8)} ${r.scenario.padEnd(44)} ${String(r.created).padStart(7)} ${String(r.delivered).padStart(9)} ${String(r.duplicates).padStart(10)}` +
            (r.missing.length ? `  MISSING ${r.missing.length}` : ''),
      );
      console.log(`[${title}] engine   ${'scenario'.padEnd(44)} created delivered duplicates\n${lines.join('\n')}`);
    },
  };
};
