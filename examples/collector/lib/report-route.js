// GET /report and GET /api/report: one request's range, time zone and format, and what to answer. The
// page shows a wrong request inside itself with the form kept; the API answers JSON (or CSV) with a status.
import { isZone, localDate, parseRange, presets } from './range.js';
import { buildReport } from './metrics.js';
import { renderReport, renderWaiting } from './report-html.js';
import { reportCsv, TABLES } from './report-csv.js';
import { parseFilters } from './filters.js';

/**
 * @param {{ storage: import('./storage/index.js').Storage, url: URL, page: boolean, origin: string, zones?: Record<string, string>,
 *   view?: import('./report-html.js').View, now?: number }} q
 * @returns {Promise<{ status: number, type: 'html' | 'json' | 'csv', body: unknown, filename?: string }>}
 */
export const answerReport = async ({ storage, url, page, origin, zones = {}, view = {}, now = Date.now() }) => {
  const p = url.searchParams;
  const site = /** @type {string} */ (p.get('site'));
  const tz = p.get('tz') || (Object.hasOwn(zones, site) ? zones[site] : 'UTC');
  const asked = { site, from: p.get('from') ?? '', to: p.get('to') ?? '', tz, view };
  /** @param {string} error */
  const fail = (error) => {
    if (!page) return { status: 400, type: /** @type {const} */ ('json'), body: { error } };
    const today = isZone(tz) ? localDate(now, tz) : localDate(now, 'UTC');
    return {
      status: 400,
      type: /** @type {const} */ ('html'),
      body: renderReport({ ...asked, error, presets: presets(now, isZone(tz) ? tz : 'UTC'), to: asked.to || today }),
    };
  };
  if (!isZone(tz)) return fail(`tz: unknown time zone "${tz}" (an IANA name such as Europe/Berlin, or UTC)`);
  const format = p.get('format') ?? 'json';
  if (!page && format !== 'json' && format !== 'csv') return fail('format: expected json or csv');
  const table = p.get('table') ?? '';
  if (!page && format === 'csv' && !Object.hasOwn(TABLES, table))
    return fail(`table: expected one of ${Object.keys(TABLES).join(', ')}`);
  const range = parseRange(p.get('from'), p.get('to'), now, tz);
  if ('error' in range) return fail(range.error);
  const asks = parseFilters(p);
  if ('error' in asks) return fail(asks.error);
  const report = await buildReport(storage, { site, ...range, tz, now, filters: asks.filters });
  if (!page)
    return format === 'csv'
      ? {
          status: 200,
          type: 'csv',
          body: reportCsv(report, table),
          filename: `${site.replace(/[^\w.-]/g, '_')}-${table}-${report.from}-${report.to}.csv`,
        }
      : { status: 200, type: 'json', body: report };
  if (!report.totals.events) {
    // Nothing in the range: is there anything at all for this site?
    const sites = await storage.sites();
    if (!sites.some((s) => s.site === site)) return { status: 200, type: 'html', body: renderWaiting(site, origin, sites, view) };
  }
  return {
    status: 200,
    type: 'html',
    body: renderReport({ report, site, from: report.from, to: report.to, tz, presets: presets(now, tz), view }),
  };
};
