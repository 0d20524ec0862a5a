// `npm run report -- --site demo-shop [--from YYYY-MM-DD] [--to YYYY-MM-DD]`: the report as tables.
// It asks the running collector: DuckDB lets one process own the file.
// `--share`: print the site's read-only share link instead (it needs the collector's token).
import { parseArgs } from 'node:util';
import { loadSettings } from './lib/config.js';
import { change, count, days, money, pct, vital } from './lib/report-format.js';
import { createSigner } from './lib/token.js';
import { sharePath } from './lib/share.js';

const HELP = `usage: npm run report -- [--site SITE] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--tz ZONE] [--json] [--share]
                         [--url http://127.0.0.1:8787] [--config journey.config.json]

The journey report of a running collector (npm start), as tables. Without --site, the sites it knows.
  --site     the site key (data-site of the tag)
  --from     first day of the range (default: 29 days before --to)
  --to       last day of the range (default: today)
  --tz       the time zone of the days, an IANA name such as Europe/Berlin (default: the site's, else UTC)
  --json     print /api/report's JSON instead of tables
  --share    print the site's read-only share link instead (needs the collector's JOURNEY_TOKEN)
  --url      the collector (default http://127.0.0.1:$PORT, PORT from the environment or config, else 8787)
  --config   the collector's config file, for its port and token (JOURNEY_CONFIG works too)
  --help     this text`;

const OPTIONS = /** @type {const} */ ({
  site: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  tz: { type: 'string' },
  url: { type: 'string' },
  json: { type: 'boolean', default: false },
  share: { type: 'boolean', default: false },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
});
/** @type {ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values']} */
let a;
try {
  ({ values: a } = parseArgs({ options: OPTIONS }));
} catch (e) {
  console.error(`report: ${/** @type {Error} */ (e).message}\n\n${HELP}`);
  process.exit(2);
}
if (a.help) {
  console.log(HELP);
  process.exit(0);
}
/** @type {Record<string, string | undefined>} */
let env;
try {
  env = loadSettings({ env: process.env, argv: a.config ? ['--config', a.config] : [] });
} catch (e) {
  console.error(`report: ${/** @type {Error} */ (e).message}`);
  process.exit(1);
}
const base = (a.url || `http://127.0.0.1:${env.PORT || 8787}`).replace(/\/$/, '');
if (a.share) {
  // Computed here from the token, as the collector does: nothing to ask it, nothing stored.
  if (!a.site || !env.JOURNEY_TOKEN) {
    console.error("report: --share needs --site and the collector's JOURNEY_TOKEN (in the environment or --config)");
    process.exit(1);
  }
  console.log(base + sharePath(createSigner(env.JOURNEY_TOKEN), a.site));
  process.exit(0);
}
const headers = env.JOURNEY_TOKEN ? { authorization: `Bearer ${env.JOURNEY_TOKEN}` } : {};
/** The collector's answer, as JSON (the report's shape: the collector README, "The report"). @returns {Promise<any>} */
const get = async (/** @type {string} */ path) => {
  const r = await fetch(base + path, { headers }).catch(() => undefined);
  if (!r) throw new Error(`cannot reach the collector at ${base} (is npm start running?)`);
  const body = /** @type {any} */ (await r.json());
  if (!r.ok) throw new Error(body.error ?? `HTTP ${r.status}`);
  return body;
};
const num = (/** @type {number | null | undefined} */ n, d = 0) =>
  n == null ? '–' : n.toLocaleString('en', { maximumFractionDigits: d });

/** @param {string} title @param {string[]} head @param {(string | number)[][]} rows */
const table = (title, head, rows) => {
  console.log(`\n${title}`);
  if (!rows.length) return console.log('  (no data)');
  const cells = [head, ...rows].map((r) => r.map(String));
  const w = head.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  for (const [j, r] of cells.entries()) {
    console.log(`  ${r.map((c, i) => (i ? c.padStart(w[i]) : c.padEnd(w[i]))).join('  ')}`);
    if (!j) console.log(`  ${w.map((n) => '─'.repeat(n)).join('  ')}`);
  }
};

try {
  if (!a.site) {
    const sites = await get('/api/sites');
    table(
      'Sites (pass one with --site)',
      ['site', 'events'],
      sites.map((/** @type {{ site: string, events: number }} */ s) => [s.site, num(s.events)]),
    );
    process.exit(sites.length ? 0 : 1);
  }
  const q = new URLSearchParams({
    site: String(a.site),
    ...(a.from && { from: String(a.from) }),
    ...(a.to && { to: String(a.to) }),
    ...(a.tz && { tz: String(a.tz) }),
  });
  const r = await get(`/api/report?${q}`);
  if (a.json) {
    console.log(JSON.stringify(r, null, 2));
    process.exit(0);
  }
  const p = r.previous;
  console.log(`Journey report · ${r.site} · ${r.from} – ${r.to} (days in ${r.tz}) · ${count(r.totals.events, 'event')}`);
  console.log(`Changes compare with ${p.from} – ${p.to}.`);
  table(
    'Summary',
    ['metric', 'value', '', 'vs previous'],
    [
      ['visitors', num(r.totals.visitors), count(r.totals.sessions, 'session'), change(r.totals.visitors, p.totals.visitors)],
      ['sessions', num(r.totals.sessions), count(r.totals.page_views, 'page view'), change(r.totals.sessions, p.totals.sessions)],
      [
        'conversion rate',
        pct(r.conversion.rate),
        `${count(r.conversion.converted, 'session')} with a purchase (per session)`,
        change(r.conversion.rate, p.conversion.rate, true),
      ],
      [
        'cart abandonment',
        pct(r.cart_abandonment.rate),
        `${num(r.cart_abandonment.abandoned)} of ${count(r.cart_abandonment.carted, 'cart')}`,
        change(r.cart_abandonment.rate, p.cart_abandonment.rate, true),
      ],
      [
        'bounce rate',
        pct(r.bounce.rate),
        count(r.bounce.bounced, 'one-page session'),
        change(r.bounce.rate, p.bounce.rate, true),
      ],
      [
        'NPS',
        r.nps.score ?? '–',
        count(r.nps.responses, 'response'),
        r.nps.score == null || p.nps.score == null ? '–' : change(r.nps.score / 100, p.nps.score / 100, true),
      ],
    ],
  );
  table(
    'Revenue',
    ['currency', 'orders', 'revenue', 'average order', 'vs previous'],
    r.revenue.map((/** @type {any} */ x) => [
      x.currency || '(none)',
      num(x.orders),
      money(x.revenue, x.currency),
      money(x.aov, x.currency),
      change(x.revenue, p.revenue.find((/** @type {any} */ y) => y.currency === x.currency)?.revenue ?? 0),
    ]),
  );
  const max = Math.max(1, r.funnel[0].visitors);
  table(
    'Journey funnel (per visitor, in order)',
    ['step', 'visitors', 'of previous', 'beside', ''],
    r.funnel.map((/** @type {any} */ f) => [
      f.step.replace(/_/g, ' '),
      num(f.visitors),
      f.of_previous == null ? '' : pct(f.of_previous),
      f.entrants ? `+${num(f.entrants)}` : '',
      '█'.repeat(Math.round((f.visitors / max) * 30)),
    ]),
  );
  console.log(
    `  beside: reached the step without the steps before it. ${count(r.advocates_without_purchase, 'visitor')} recommended without buying.`,
  );
  table(
    'Where visitors are now',
    ['stage', 'visitors'],
    r.stages_now.map((/** @type {any} */ s) => [s.stage, num(s.visitors)]),
  );
  table(
    `Over time, by ${r.timeline.unit}`,
    [
      r.timeline.unit,
      'visitors',
      'sessions',
      'orders',
      ...r.timeline.currencies.map((/** @type {string} */ c) => `revenue ${c || '(none)'}`),
    ],
    r.timeline.rows.map((/** @type {any} */ x) => [
      x.at,
      num(x.visitors),
      num(x.sessions),
      num(x.orders),
      ...r.timeline.currencies.map((/** @type {string} */ c) => money(x.revenue[c] ?? 0, c)),
    ]),
  );
  table(
    'Products (top 20 by orders)',
    ['product', 'views', 'carts', 'orders', 'quantity', 'revenue', 'orders ÷ views'],
    r.products
      .slice(0, 20)
      .map((/** @type {any} */ p) => [
        p.name || p.item_id,
        num(p.views),
        num(p.carts),
        num(p.purchases),
        num(p.quantity),
        p.revenue.map((/** @type {any} */ x) => money(x.revenue, x.currency)).join(' + ') || '–',
        pct(p.view_to_purchase),
      ]),
  );
  table(
    'Checkout steps (per session, in order)',
    ['step', 'sessions', 'of previous', 'beside'],
    r.checkout.map((/** @type {any} */ c) => [
      c.step,
      num(c.sessions),
      c.of_previous == null ? '' : pct(c.of_previous),
      c.entrants ? `+${num(c.entrants)}` : '',
    ]),
  );
  table(
    'Stage changes',
    ['from', 'to', 'count'],
    r.transitions.map((/** @type {any} */ t) => [t.from, t.to, num(t.count)]),
  );
  const fp = r.first_purchase;
  console.log(
    `\nTime to first purchase: median ${days(fp.median_days)} and ${fp.median_sessions == null ? '–' : count(fp.median_sessions, 'session')} from the first visit (${count(fp.buyers, 'first-time buyer')})`,
  );
  table(
    'Conversion by LCP rating (first LCP of the session)',
    ['stage', 'LCP', 'sessions', 'conv.'],
    r.lcp_conversion.map((/** @type {any} */ x) => [x.stage, x.rating, num(x.sessions), pct(x.rate)]),
  );
  table(
    `Customer lifetime value (all purchases up to ${r.to})`,
    ['currency', 'customers', 'value', 'repeat'],
    r.clv.map((/** @type {any} */ x) => [x.currency || '(none)', num(x.customers), money(x.clv, x.currency), pct(x.repeat_rate)]),
  );
  for (const [title, list] of [
    ['Top sources', r.sources],
    ['Campaigns', r.campaigns],
    ['Referral codes', r.referrals],
  ])
    table(
      title,
      ['name', 'sessions', 'with a purchase', 'conv.'],
      list.map((/** @type {any} */ s) => [s.name, num(s.sessions), num(s.converted), pct(s.rate)]),
    );
  table(
    'Engaged time on page',
    ['page type', 'pages', 'median'],
    r.engaged.map((/** @type {any} */ e) => [e.page_type, num(e.pages), `${num(e.median_ms / 1000, 1)} s`]),
  );
  table(
    'Web vitals (p75)',
    ['metric', 'stage', 'p75', 'rating', 'samples'],
    r.vitals.map((/** @type {any} */ v) => [v.name, v.stage, vital(v.name, v.p75), v.rating, num(v.samples)]),
  );
} catch (e) {
  console.error(`report: ${/** @type {Error} */ (e).message}`);
  process.exit(1);
}
