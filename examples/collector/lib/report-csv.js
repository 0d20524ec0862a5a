// Every table of the report as CSV (`/api/report?…&format=csv&table=name`): one header row, then one row per
// line of the table, numbers as numbers (no thousands separators, rates as fractions).

/** @param {unknown} v */
const cell = (v) => {
  if (v == null) return '';
  const s = String(v);
  // Quoted when it holds a separator, a quote or a line break; a leading = + - @ is defused for spreadsheets.
  const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** @param {string[]} head @param {unknown[][]} rows */
const csv = (head, rows) => [head, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';

/** @typedef {Awaited<ReturnType<typeof import('./metrics.js').buildReport>>} Report */

/**
 * A breakdown table (breakdowns.js): one revenue column per currency any of its rows sold in.
 * @param {string} head @param {Report['devices']} rows @returns {[string[], unknown[][]]}
 */
const breakdown = (head, rows) => {
  const currencies = [...new Set(rows.flatMap((x) => x.revenue.map((m) => m.currency)))].sort();
  return [
    [head, 'visitors', 'sessions', 'orders', 'converted', 'rate', ...currencies.map((c) => `revenue_${c || 'none'}`)],
    rows.map((x) => [
      x.name || 'unknown',
      x.visitors,
      x.sessions,
      x.orders,
      x.converted,
      x.rate,
      ...currencies.map((c) => x.revenue.find((m) => m.currency === c)?.revenue ?? 0),
    ]),
  ];
};

/** @type {Record<string, (r: Report) => [string[], unknown[][]]>} */
export const TABLES = {
  funnel: (r) => [
    ['step', 'visitors', 'of_previous', 'entrants'],
    r.funnel.map((f) => [f.step, f.visitors, f.of_previous, f.entrants]),
  ],
  stages_now: (r) => [['stage', 'visitors'], r.stages_now.map((s) => [s.stage, s.visitors])],
  timeline: (r) => [
    [r.timeline.unit, 'visitors', 'sessions', 'orders', ...r.timeline.currencies.map((c) => `revenue_${c || 'none'}`)],
    r.timeline.rows.map((x) => [x.at, x.visitors, x.sessions, x.orders, ...r.timeline.currencies.map((c) => x.revenue[c] ?? 0)]),
  ],
  products: (r) => {
    const currencies = [...new Set(r.products.flatMap((p) => p.revenue.map((x) => x.currency)))].sort();
    return [
      [
        'item_id',
        'name',
        'views',
        'carts',
        'orders',
        'quantity',
        ...currencies.map((c) => `revenue_${c || 'none'}`),
        'orders_per_view',
      ],
      r.products.map((p) => [
        p.item_id,
        p.name,
        p.views,
        p.carts,
        p.purchases,
        p.quantity,
        ...currencies.map((c) => p.revenue.find((x) => x.currency === c)?.revenue ?? 0),
        p.view_to_purchase,
      ]),
    ];
  },
  checkout: (r) => [
    ['step', 'sessions', 'of_previous', 'entrants'],
    r.checkout.map((c) => [c.step, c.sessions, c.of_previous, c.entrants]),
  ],
  transitions: (r) => [['from', 'to', 'count'], r.transitions.map((t) => [t.from, t.to, t.count])],
  lcp_conversion: (r) => [
    ['stage', 'lcp_rating', 'sessions', 'converted', 'rate'],
    r.lcp_conversion.map((x) => [x.stage, x.rating, x.sessions, x.converted, x.rate]),
  ],
  sources: (r) => [['source', 'sessions', 'converted', 'rate'], r.sources.map((s) => [s.name, s.sessions, s.converted, s.rate])],
  campaigns: (r) => [
    ['campaign', 'sessions', 'converted', 'rate'],
    r.campaigns.map((s) => [s.name, s.sessions, s.converted, s.rate]),
  ],
  referrals: (r) => [
    ['code', 'sessions', 'converted', 'rate'],
    r.referrals.map((s) => [s.name, s.sessions, s.converted, s.rate]),
  ],
  devices: (r) => breakdown('device', r.devices),
  browsers: (r) => breakdown('browser', r.browsers),
  os: (r) => breakdown('os', r.os),
  countries: (r) => breakdown('country', r.countries),
  landing: (r) => breakdown('landing_page', r.landing),
  exit: (r) => breakdown('exit_page', r.exit),
  referrers: (r) => breakdown('referrer', r.referrers),
  revenue: (r) => [['currency', 'orders', 'revenue', 'aov'], r.revenue.map((x) => [x.currency, x.orders, x.revenue, x.aov])],
  clv: (r) => [
    ['currency', 'customers', 'revenue', 'clv', 'repeat_customers', 'repeat_rate'],
    r.clv.map((x) => [x.currency, x.customers, x.revenue, x.clv, x.repeat_customers, x.repeat_rate]),
  ],
  nps: (r) => [
    ['answer', 'visitors'],
    [
      ['promoters', r.nps.promoters],
      ['passives', r.nps.responses - r.nps.promoters - r.nps.detractors],
      ['detractors', r.nps.detractors],
    ],
  ],
  engaged: (r) => [
    ['page_type', 'pages', 'median_ms', 'mean_ms'],
    r.engaged.map((e) => [e.page_type, e.pages, e.median_ms, e.mean_ms]),
  ],
  vitals: (r) => [
    ['metric', 'stage', 'p75', 'rating', 'samples'],
    r.vitals.map((v) => [v.name, v.stage, v.p75, v.rating, v.samples]),
  ],
};

/** @param {Report} r @param {string} name @returns {string | undefined} */
export const reportCsv = (r, name) => {
  const t = Object.hasOwn(TABLES, name) ? TABLES[name] : undefined;
  return t && csv(...t(r));
};
