// `npm run report -- --site demo-shop [--from YYYY-MM-DD] [--to YYYY-MM-DD]`: the report as tables.
// It asks the running collector: DuckDB lets one process own the file.
// `--share`: print the site's read-only share link instead (it needs the collector's token).
import { parseArgs } from 'node:util';
import { loadSettings } from './lib/config.js';
import { createSigner } from './lib/token.js';
import { sharePath } from './lib/share.js';

const { values: a } = parseArgs({
  options: {
    site: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    url: { type: 'string' },
    json: { type: 'boolean', default: false },
    share: { type: 'boolean', default: false },
    // The collector's config file, for its port and token (JOURNEY_CONFIG works too).
    config: { type: 'string' },
  },
});
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
    console.error('report: --share needs --site and the collector\'s JOURNEY_TOKEN (in the environment or --config)');
    process.exit(1);
  }
  console.log(base + sharePath(createSigner(env.JOURNEY_TOKEN), a.site));
  process.exit(0);
}
const headers = env.JOURNEY_TOKEN ? { authorization: `Bearer ${env.JOURNEY_TOKEN}` } : {};
const get = async (/** @type {string} */ path) => {
  const r = await fetch(base + path, { headers }).catch(() => undefined);
  if (!r) throw new Error(`cannot reach the collector at ${base} (is npm start running?)`);
  const body = await r.json();
  if (!r.ok) throw new Error(body.error ?? `HTTP ${r.status}`);
  return body;
};
const pct = (/** @type {number | null} */ r) => (r == null ? '–' : `${(r * 100).toFixed(1)}%`);
const num = (/** @type {number | null | undefined} */ n, d = 0) => (n == null ? '–' : n.toLocaleString('en', { maximumFractionDigits: d }));

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
    table('Sites (pass one with --site)', ['site', 'events'], sites.map((s) => [s.site, num(s.events)]));
    process.exit(sites.length ? 0 : 1);
  }
  const q = new URLSearchParams({ site: a.site, ...(a.from && { from: a.from }), ...(a.to && { to: a.to }) });
  const r = await get(`/api/report?${q}`);
  if (a.json) {
    console.log(JSON.stringify(r, null, 2));
    process.exit(0);
  }
  console.log(`Journey report · ${r.site} · ${r.from} – ${r.to} (UTC) · ${num(r.totals.events)} events`);
  table('Summary', ['metric', 'value', ''], [
    ['visitors', num(r.totals.visitors), `${num(r.totals.sessions)} sessions`],
    ['conversion rate', pct(r.conversion.rate), `${num(r.conversion.converted)} sessions with a purchase`],
    ['cart abandonment', pct(r.cart_abandonment.rate), `${num(r.cart_abandonment.abandoned)} of ${num(r.cart_abandonment.carted)} carts`],
    ['bounce rate', pct(r.bounce.rate), 'one-page sessions'],
    ['NPS', r.nps.score ?? '–', `${num(r.nps.responses)} responses`],
  ]);
  const max = Math.max(1, r.funnel[0].visitors);
  table('Stage funnel', ['stage', 'visitors', 'step', ''], r.funnel.map((f) => [f.stage, num(f.visitors), f.step == null ? '' : pct(f.step), '█'.repeat(Math.round((f.visitors / max) * 30))]));
  table('Revenue', ['currency', 'orders', 'revenue', 'AOV'], r.revenue.map((x) => [x.currency || '(none)', num(x.orders), num(x.revenue, 2), num(x.aov, 2)]));
  table('Customer lifetime value', ['currency', 'customers', 'CLV', 'repeat'], r.clv.map((x) => [x.currency || '(none)', num(x.customers), num(x.clv, 2), pct(x.repeat_rate)]));
  for (const [title, list] of [['Top sources', r.sources], ['Campaigns', r.campaigns], ['Referral codes', r.referrals]])
    table(title, ['name', 'sessions', 'orders', 'conv.'], list.map((s) => [s.name, num(s.sessions), num(s.converted), pct(s.rate)]));
  table('Engaged time on page', ['page type', 'pages', 'median s'], r.engaged.map((e) => [e.page_type, num(e.pages), num(e.median_ms / 1000, 1)]));
  table('Web vitals (p75)', ['metric', 'stage', 'p75', 'samples'], r.vitals.map((v) => [v.name, v.stage, num(v.p75, v.name === 'CLS' ? 3 : 0), num(v.samples)]));
} catch (e) {
  console.error(`report: ${/** @type {Error} */ (e).message}`);
  process.exit(1);
}
