// The report page's filters as plain links (no script: the page runs under a CSP without one): each row of a
// table links to the page with its value added as a filter, and each active filter is shown with a link that
// removes it. Every other link of the page keeps them.
import { esc } from './report-format.js';
import { UNKNOWN } from './filters.js';

/** What the row of an empty value is called, per filter. */
const NONE = /** @type {Record<string, string>} */ ({ campaign: '(none)', ref: '(none)' });
/** The names of the filters as the page shows them. */
const LABELS = /** @type {Record<string, string>} */ ({
  source: 'source',
  campaign: 'campaign',
  ref: 'referral code',
  device: 'device',
  browser: 'browser',
  os: 'OS',
  country: 'country',
  landing: 'landing page',
  exit: 'exit page',
  referrer: 'referrer',
  stage: 'stage now',
});

/**
 * Links of one report: the page's own parameters (range, zone, share key, filters) with some changed.
 * @param {Record<string, string>} params the page's, filters included
 */
export const createLinks = (params) => {
  /** @param {Record<string, string | null>} change a null removes the parameter @returns {string} an attribute value */
  const href = (change) => {
    const q = new URLSearchParams(params);
    for (const [k, v] of Object.entries(change)) v === null ? q.delete(k) : q.set(k, v);
    return `/report?${q}`.replace(/&/g, '&amp;');
  };
  return {
    href,
    /** A row's first cell: its value as shown, linking to the report filtered on it. @param {string} filter @param {string} value */
    cell: (filter, value) =>
      `<a href="${href({ [filter]: value || UNKNOWN })}" rel="nofollow">${esc(value || NONE[filter] || UNKNOWN)}</a>`,
  };
};

/**
 * The active filters, each removable, and a link to the whole site's report; '' without filters.
 * @param {Record<string, string>} filters @param {ReturnType<typeof createLinks>} links
 */
export const activeFilters = (filters, links) => {
  const names = Object.keys(filters);
  if (!names.length) return '';
  const chips = names.map(
    (k) =>
      `<li><b>${esc(LABELS[k] ?? k)}</b> ${esc(filters[k])} <a href="${links.href({ [k]: null })}" aria-label="remove the filter ${esc(LABELS[k] ?? k)}">×</a></li>`,
  );
  const all = links.href(Object.fromEntries(names.map((k) => [k, null])));
  return `<section class="wide" aria-label="Filters"><h2>Filtered</h2><ul class="filters">${chips.join('')}</ul><p class="note">Every figure below counts only this segment. <a href="${all}">Remove all filters</a></p></section>`;
};
