// How the report writes numbers, shared by the page and the terminal: counts with their noun, money with
// its currency, web vitals with their units and Google's rating.

/** Text made safe inside HTML, attributes included. @param {unknown} s */
export const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const int = new Intl.NumberFormat('en');

/** @param {number | null | undefined} r a ratio */
export const pct = (r) => (r == null ? '–' : `${(r * 100).toFixed(1)}%`);

/**
 * "1 session", "2 sessions", "1,024 visitors".
 * @param {number | null | undefined} n @param {string} noun singular @param {string} [many] its plural, if not noun + s
 */
export const count = (n, noun, many = `${noun}s`) => `${int.format(n ?? 0)} ${n === 1 ? noun : many}`;

/** @param {number | null | undefined} n @param {string} currency an ISO 4217 code, as sent */
export const money = (n, currency) => {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).format(n ?? 0);
  } catch {
    // No or unknown currency code: the bare amount with whatever label was sent.
    return `${(n ?? 0).toFixed(2)} ${currency || '(no currency)'}`;
  }
};

/** @param {number} ms */
export const secs = (ms) => (ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`);

/**
 * Google's thresholds (web.dev/articles/vitals): good up to the first, poor above the second. CLS has no unit.
 * @type {Record<string, { good: number, poor: number, unit: 'ms' | '' }>}
 */
export const VITAL_RATING = {
  LCP: { good: 2500, poor: 4000, unit: 'ms' },
  INP: { good: 200, poor: 500, unit: 'ms' },
  CLS: { good: 0.1, poor: 0.25, unit: '' },
  FCP: { good: 1800, poor: 3000, unit: 'ms' },
  TTFB: { good: 800, poor: 1800, unit: 'ms' },
};

/** @param {string} name @param {number} value @returns {'good' | 'needs improvement' | 'poor'} */
export const rateVital = (name, value) => {
  const t = VITAL_RATING[name];
  return value <= t.good ? 'good' : value <= t.poor ? 'needs improvement' : 'poor';
};

/** @param {string} name @param {number} value */
export const vital = (name, value) =>
  VITAL_RATING[name]?.unit === 'ms' ? `${int.format(Math.round(value))} ms` : value.toFixed(3);

/**
 * A change against the previous period: "+12.5%", "−3", or "new" when there was nothing before.
 * @param {number | null | undefined} now @param {number | null | undefined} before @param {boolean} [points] a rate: the difference in points
 */
export const change = (now, before, points = false) => {
  if (now == null || before == null) return '–';
  if (points) {
    const d = (now - before) * 100;
    return `${d > 0 ? '+' : d < 0 ? '−' : '±'}${Math.abs(d).toFixed(1)} pts`;
  }
  if (!before) return now ? 'new' : '±0%';
  const d = ((now - before) / before) * 100;
  return `${d > 0 ? '+' : d < 0 ? '−' : '±'}${Math.abs(d).toFixed(1)}%`;
};

/** A span given in days: hours under a day, minutes under an hour. @param {number | null | undefined} d */
export const days = (d) =>
  d == null ? '–' : d < 1 / 24 ? `${Math.round(d * 1440)} min` : d < 1 ? `${(d * 24).toFixed(1)} hours` : `${d.toFixed(1)} days`;
