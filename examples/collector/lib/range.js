/** A UTC day in ms: ClickHouse's rollups are whole UTC days. */
export const DAY = 86_400_000;
export const HOUR = 3_600_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** @param {string} tz @returns {boolean} an IANA time zone this Node knows */
export const isZone = (tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** @type {Map<string, Intl.DateTimeFormat>} */
const formats = new Map();
/** @param {string} tz */
const format = (tz) => {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(tz, f);
  }
  return f;
};

/** How far `tz`'s clocks are ahead of UTC at instant t, in ms. @param {number} t @param {string} tz */
export const zoneOffset = (t, tz) => {
  if (tz === 'UTC') return 0;
  const p = Object.fromEntries(
    format(tz)
      .formatToParts(t)
      .map((x) => [x.type, x.value]),
  );
  const local = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  return local - Math.floor(t / 1000) * 1000;
};

/** The date at instant t in tz, YYYY-MM-DD. @param {number} t @param {string} tz */
export const localDate = (t, tz) => new Date(t + zoneOffset(t, tz)).toISOString().slice(0, 10);

/** The instant a local date begins in tz (its first moment, whatever a change of clocks does that day). @param {number} utcDay Date.UTC of the date @param {string} tz */
const startOf = (utcDay, tz) => {
  // The offset one guess away, then once more: right on either side of a change of clocks.
  const guess = utcDay - zoneOffset(utcDay, tz);
  return utcDay - zoneOffset(guess, tz);
};

/** @param {string} s @returns {number | undefined} Date.UTC of the date */
const parse = (s) => {
  if (!DATE.test(s)) return undefined;
  const t = Date.parse(`${s}T00:00:00Z`);
  // Date.parse rolls 2025-02-31 over into March; a round trip catches it.
  return Number.isFinite(t) && new Date(t).toISOString().startsWith(s) ? t : undefined;
};

/**
 * The report's date range: whole days `from`..`to` inclusive in the time zone; default the last 30 days.
 * @param {string | null} from @param {string | null} to @param {number} [now] @param {string} [tz]
 * @returns {{ from: number, to: number, days: number } | { error: string }} `to` is exclusive, in epoch ms; days: how many
 */
export const parseRange = (from, to, now = Date.now(), tz = 'UTC') => {
  const end = to ? parse(to) : parse(localDate(now, tz));
  if (end === undefined) return { error: `to: expected a date as YYYY-MM-DD, got "${to}"` };
  const start = from ? parse(from) : end - 29 * DAY;
  if (start === undefined) return { error: `from: expected a date as YYYY-MM-DD, got "${from}"` };
  if (start > end)
    return { error: `from (${from}) is after to (${to ?? localDate(now, tz)}): pick a from-date on or before the to-date` };
  return { from: startOf(start, tz), to: startOf(end + DAY, tz), days: Math.round((end - start) / DAY) + 1 };
};

/**
 * The range of the same number of days just before [from, to), in the same zone.
 * @param {{ from: number, days: number }} r @param {string} tz
 */
export const previousRange = (r, tz = 'UTC') => {
  const first = parse(localDate(r.from, tz)) ?? r.from;
  return { from: startOf(first - r.days * DAY, tz), to: r.from, days: r.days };
};

/**
 * The zone's offset over [from, to) as pieces `{ until, offset }` (the last piece's `until` is `to`):
 * clocks change a few times a year, so a bucket's local day or hour is intDiv(time + offset, DAY).
 * @param {number} from @param {number} to @param {string} tz
 */
export const offsets = (from, to, tz) => {
  /** @type {{ until: number, offset: number }[]} */
  const out = [];
  let offset = zoneOffset(from, tz);
  // Clocks change at most once in a few hours: look every 3 hours, then find the change to the minute.
  for (let t = from; t < to; t += 3 * HOUR) {
    const next = Math.min(t + 3 * HOUR, to);
    const o = zoneOffset(next, tz);
    if (o === offset) continue;
    let lo = t;
    let hi = next;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 2 / 60_000) * 60_000;
      if (zoneOffset(mid, tz) === offset) lo = mid;
      else hi = mid;
    }
    if (hi >= to) break;
    out.push({ until: hi, offset });
    offset = o;
  }
  out.push({ until: to, offset });
  return out;
};

/**
 * Links for the usual ranges, as of now in tz.
 * @param {number} now @param {string} tz
 * @returns {{ label: string, from: string, to: string }[]}
 */
export const presets = (now, tz = 'UTC') => {
  const today = /** @type {number} */ (parse(localDate(now, tz)));
  const d = (/** @type {number} */ t) => new Date(t).toISOString().slice(0, 10);
  const t = new Date(today);
  const month = Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 1);
  const lastMonth = Date.UTC(t.getUTCFullYear(), t.getUTCMonth() - 1, 1);
  return [
    { label: 'Today', from: d(today), to: d(today) },
    { label: '7 days', from: d(today - 6 * DAY), to: d(today) },
    { label: '30 days', from: d(today - 29 * DAY), to: d(today) },
    { label: 'This month', from: d(month), to: d(today) },
    { label: 'Last month', from: d(lastMonth), to: d(month - DAY) },
  ];
};
