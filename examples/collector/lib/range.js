/** A UTC day in ms: report ranges, and ClickHouse's rollups, are whole days. */
export const DAY = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** @param {string} s @returns {number | undefined} */
const parse = (s) => {
  if (!DATE.test(s)) return undefined;
  const t = Date.parse(`${s}T00:00:00Z`);
  // Date.parse rolls 2025-02-31 over into March; a round trip catches it.
  return Number.isFinite(t) && new Date(t).toISOString().startsWith(s) ? t : undefined;
};

/**
 * The report's date range in UTC: whole days `from`..`to` inclusive; default the last 30 days.
 * @param {string | null} from @param {string | null} to @param {number} [now]
 * @returns {{ from: number, to: number } | { error: string }} `to` is exclusive, in epoch ms
 */
export const parseRange = (from, to, now = Date.now()) => {
  const end = to ? parse(to) : Math.floor(now / DAY) * DAY;
  if (end === undefined) return { error: 'to: expected YYYY-MM-DD' };
  const start = from ? parse(from) : end - 29 * DAY;
  if (start === undefined) return { error: 'from: expected YYYY-MM-DD' };
  if (start > end) return { error: 'from: after to' };
  return { from: start, to: end + DAY };
};
