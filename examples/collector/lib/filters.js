// The report's filters (`?device=mobile&source=search`): query parameters of /report and /api/report, combinable.
// Each keeps the events of the segment and the report is computed from those alone, as if the store held nothing
// else. Every filter but `stage` keeps whole sessions: by their device, browser, OS and country (as the breakdowns
// give them: the smallest value of the session's events), how they arrived and where they landed or left; `stage`
// keeps the visitors in that stage at the end of the range. (Whole sessions, so that an engine's rollups of
// sessions can answer: ClickHouse's.)
import { STAGES } from './validate.js';

/** The value that stands for "not known" (old rows, an agent without a browser, no campaign): stored as NULL. */
export const UNKNOWN = 'unknown';

/**
 * Per filter: what it keeps, given the dialect and its parameter. `first`/`last` compare a session's first (last)
 * non-null value of a column, `row` its smallest one (the same on every event of a request).
 * @type {Record<string, { row?: string, first?: string, last?: string, none?: string, stage?: true }>}
 */
export const FILTERS = {
  source: { first: 'source', none: 'direct' },
  campaign: { first: 'campaign' },
  ref: { first: 'ref' },
  device: { row: 'device' },
  browser: { row: 'browser' },
  os: { row: 'os' },
  country: { row: 'country' },
  landing: { first: 'path' },
  exit: { last: 'path' },
  referrer: { first: 'referrer_host' },
  stage: { stage: true },
};

/**
 * The filters of a request, in FILTERS order, or an error naming the bad one.
 * @param {URLSearchParams} p
 * @returns {{ filters: Record<string, string> } | { error: string }}
 */
export const parseFilters = (p) => {
  /** @type {Record<string, string>} */
  const filters = {};
  for (const name of Object.keys(FILTERS)) {
    const v = p.get(name);
    if (v === null || v === '') continue;
    if (v.length > 200) return { error: `${name}: at most 200 characters` };
    if (name === 'stage' && !STAGES.includes(/** @type {any} */ (v)))
      return { error: `stage: expected one of ${STAGES.join(', ')}` };
    filters[name] = v;
  }
  return { filters };
};

/**
 * The filters' query parameters: `f_<name>` (unknown as ''; a stage as its index).
 * @param {Record<string, string>} filters @returns {Record<string, string | number>}
 */
export const filterParams = (filters) =>
  Object.fromEntries(
    Object.entries(filters).map(([k, v]) => [
      `f_${k}`,
      k === 'stage' ? STAGES.indexOf(/** @type {any} */ (v)) : v === UNKNOWN ? '' : v,
    ]),
  );

/**
 * The sessions the filters of sessions keep (all but `stage`), as a SELECT of session_id, or '' for none of them.
 * @param {import('./metrics.js').Dialect} d @param {Record<string, string>} filters
 */
export const filterSessions = (d, filters) => {
  const site = d.param('site');
  const to = d.param('to');
  /** @type {string[]} */
  const having = [];
  /** @type {string[]} */
  const rows = [];
  // With filters of both kinds, one pass over all events, the page views' values taken from page views only.
  const both =
    Object.keys(filters).some((n) => FILTERS[n].row) && Object.keys(filters).some((n) => FILTERS[n].first || FILTERS[n].last);
  for (const name of Object.keys(filters)) {
    const f = FILTERS[name];
    const v = d.param(`f_${name}`);
    const x = (/** @type {string} */ c) => (both ? `CASE WHEN type = 'page_view' THEN ${c} END` : c);
    if (f.row) rows.push(`coalesce(min(${f.row}), '') = ${v}`);
    else if (f.first) having.push(`coalesce(${d.firstBy(x(f.first), 'time')}, '${f.none ?? ''}') = ${v}`);
    else if (f.last) having.push(`coalesce(${d.firstBy(x(f.last), '-time')}, '') = ${v}`);
  }
  // The session's arrival and pages are on its page views: one pass over them for all such filters (over all its
  // events, for the smallest device and the like too, when there are both).
  if (both)
    return `SELECT session_id FROM events WHERE site = ${site} AND time < ${to}
      GROUP BY session_id HAVING ${d.countIf("type = 'page_view'")} > 0 AND ${[...having, ...rows].join(' AND ')}`;
  if (having.length)
    return `SELECT session_id FROM events WHERE site = ${site} AND time < ${to} AND type = 'page_view'
      GROUP BY session_id HAVING ${having.join(' AND ')}`;
  if (rows.length)
    return `SELECT session_id FROM events WHERE site = ${site} AND time < ${to}
      GROUP BY session_id HAVING ${rows.join(' AND ')}`;
  return '';
};

/**
 * One SQL condition on an event for all the filters, or '' for none: the visitors a `stage` filter keeps, and the
 * sessions the others keep (filterSessions).
 * @param {import('./metrics.js').Dialect} d @param {Record<string, string>} filters
 */
export const filterSql = (d, filters) => {
  const conds = Object.keys(filters)
    .filter((name) => !FILTERS[name].row && !FILTERS[name].first && !FILTERS[name].last)
    .map(
      (
        name,
      ) => `visitor_id IN (SELECT visitor_id FROM events WHERE site = ${d.param('site')} AND time >= ${d.param('from')} AND time < ${d.param('to')}
        GROUP BY visitor_id HAVING ${d.lastBy('stage', 'time')} = ${d.param(`f_${name}`)})`,
    );
  const sessions = filterSessions(d, filters);
  return [...conds, ...(sessions ? [`session_id IN (${sessions})`] : [])].join(' AND ');
};

/**
 * The dialect reading only the events that satisfy `cond`: every metric reads events through `from`, `scan`,
 * `unique` or `table`. Without rollups: they are copies of the unfiltered events.
 * @param {import('./metrics.js').Dialect} d @param {string} cond
 * @returns {import('./metrics.js').Dialect}
 */
export const filtered = (d, cond) => {
  if (!cond) return d;
  /** @param {string} w */
  const and = (w) => `${w} AND ${cond}`;
  const scan = d.scan ?? d.from;
  // The engine's parts that read no events as they are; its own copies (rollups, facts) are left out.
  const kept = /** @type {import('./metrics.js').Dialect} */ (
    Object.fromEntries(
      Object.entries(d).filter(
        ([k]) =>
          ![
            'from',
            'scan',
            'unique',
            'table',
            'journey',
            'checkout',
            'visits',
            'daily',
            'facts',
            'sessions',
            'typed',
            'dims',
          ].includes(k),
      ),
    )
  );
  return {
    ...kept,
    from: (w) => d.from(and(w)),
    scan: (w) => scan(and(w)),
    ...(d.unique ? { unique: (c, w, t) => /** @type {NonNullable<typeof d.unique>} */ (d.unique)(c, and(w), t) } : {}),
    table: () => `(SELECT * FROM events WHERE ${cond})`,
  };
};
