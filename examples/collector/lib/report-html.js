// The report page: server-rendered HTML, inline SVG and CSS bars. No script, no framework:
// it paints at once and shows the same numbers as /api/report.

/** @param {unknown} s */
export const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** @param {number | null} r */
const pct = (r) => (r == null ? '–' : `${(r * 100).toFixed(1)}%`);
const int = new Intl.NumberFormat('en');
/** @param {number | null | undefined} n @param {string} currency */
const money = (n, currency) => {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).format(n ?? 0);
  } catch {
    // No or unknown currency code: show the bare amount with whatever label was sent.
    return `${(n ?? 0).toFixed(2)} ${currency || '(no currency)'}`;
  }
};
/** @param {number} ms */
const secs = (ms) => (ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`);

const CSS = `
body{font:15px/1.45 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
header{background:#1d2330;color:#fff;padding:14px 24px;display:flex;gap:16px;align-items:center;flex-wrap:wrap}
header h1{font-size:18px;margin:0 auto 0 0}header a{color:#9cc4ff}
header form{display:flex;gap:6px;align-items:center}header input{font:inherit;padding:2px 4px}
main{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:16px;padding:16px 24px;max-width:1400px}
section{background:#fff;border-radius:8px;padding:14px 16px;box-shadow:0 1px 2px #0001;overflow-x:auto;min-width:0}
section.wide{grid-column:1/-1}h2{font-size:14px;margin:0 0 10px;text-transform:uppercase;letter-spacing:.04em;color:#5a6475}
.kpis{display:flex;gap:10px;flex-wrap:wrap}.kpi{flex:1;min-width:130px;padding:8px 10px;background:#f6f7f9;border-radius:6px}
.kpi b{display:block;font-size:24px}.kpi small{color:#5a6475}
table{width:100%;border-collapse:collapse;font-size:14px}td,th{padding:4px 6px;text-align:right;white-space:nowrap}
td:first-child,th:first-child{text-align:left}th{color:#5a6475;font-weight:600;border-bottom:1px solid #e3e6eb}
.bar{position:relative;height:18px;background:#eef1f5;border-radius:3px;min-width:40px}
.bar i{position:absolute;left:0;top:0;bottom:0;background:#4f8cf7;border-radius:3px}
.empty{color:#8a93a3}svg text{font:13px system-ui,sans-serif}`;

const STAGE_COLORS = ['#8fb8ff', '#5d98f8', '#2f6fe0', '#1f9d7a', '#e0912f'];

/** @param {{ stage: string, visitors: number, step: number | null }[]} funnel */
const funnelSvg = (funnel) => {
  const max = Math.max(1, funnel[0].visitors);
  const W = 760, H = 52, mid = 260;
  const rows = funnel.map((f, i) => {
    const w = Math.max(2, (f.visitors / max) * (W - mid - 110));
    const y = i * H;
    return `<g><text x="0" y="${y + 30}">${esc(f.stage)}</text>
<rect x="${mid - w / 2 + 60}" y="${y + 8}" width="${w}" height="${H - 16}" rx="4" fill="${STAGE_COLORS[i]}"/>
<text x="${mid + 60}" y="${y + 31}" text-anchor="middle" fill="#fff" font-weight="700">${int.format(f.visitors)}</text>
<text x="${W}" y="${y + 30}" text-anchor="end" fill="#5a6475">${i ? `${pct(f.step)} of previous` : 'visitors'}</text></g>`;
  });
  return `<svg viewBox="0 0 ${W} ${H * funnel.length}" width="100%" role="img" aria-label="Stage funnel">${rows.join('')}</svg>`;
};

/**
 * A table whose last column is drawn as a bar.
 * @param {string[]} head @param {(string | number)[][]} rows @param {number[]} values bar lengths, one per row
 */
const barTable = (head, rows, values) => {
  if (!rows.length) return '<p class="empty">No data in this range.</p>';
  const max = Math.max(...values, 1e-9);
  return `<table><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}<th></th></tr>${rows
    .map(
      (r, i) =>
        `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}<td style="width:25%"><div class="bar"><i style="width:${((values[i] / max) * 100).toFixed(1)}%"></i></div></td></tr>`,
    )
    .join('')}</table>`;
};

/** @param {{ name: string, sessions: number, converted: number, rate: number | null }[]} list @param {string} label */
const convTable = (list, label) =>
  barTable(
    [label, 'sessions', 'orders', 'conv.'],
    list.map((s) => [s.name, int.format(s.sessions), int.format(s.converted), pct(s.rate)]),
    list.map((s) => s.sessions),
  );

/** @param {string} label @param {string} value @param {string} [note] */
const kpi = (label, value, note = '') => `<div class="kpi"><small>${esc(label)}</small><b>${esc(value)}</b><small>${esc(note)}</small></div>`;

/** @param {string} title @param {string} body */
const page = (title, body) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>${CSS}</style></head><body>${body}</body></html>`;

/** A signed-in viewer can log out (a form: no script). */
const LOGOUT = '<form method="post" action="/logout"><button>Log out</button></form>';

/**
 * How the page is seen: `share` is the read-only key it was opened with (kept on its links, and no
 * way to other sites); `shareLink` is the link an owner can hand out; `signedIn` shows Log out.
 * @typedef {{ share?: string, shareLink?: string, signedIn?: boolean }} View
 */

/** @param {{ site: string, events: number, last: number }[]} sites @param {View} [view] */
export const renderSites = (sites, view = {}) =>
  page(
    'Journey report',
    `<header><h1>Journey report</h1>${view.signedIn ? LOGOUT : ''}</header><main><section class="wide"><h2>Sites</h2>${
      sites.length
        ? `<table><tr><th>site</th><th>events</th><th>last event</th></tr>${sites
            .map((s) => `<tr><td><a href="/report?site=${encodeURIComponent(s.site)}">${esc(s.site)}</a></td><td>${int.format(s.events)}</td><td>${new Date(s.last).toISOString().slice(0, 16).replace('T', ' ')}</td></tr>`)
            .join('')}</table>`
        : '<p class="empty">No events yet. Browse the <a href="/shop/">demo shop</a> or run <code>npm run simulate</code>.</p>'
    }</section></main>`,
  );

/** @param {Awaited<ReturnType<typeof import('./metrics.js').buildReport>>} r @param {View} [view] */
export const renderReport = (r, view = {}) => {
  const share = view.share ? `&amp;share=${encodeURIComponent(view.share)}` : '';
  const vitals = r.vitals.map((v) => [v.name, v.stage, v.name === 'CLS' ? v.p75.toFixed(3) : `${Math.round(v.p75)} ms`, int.format(v.samples)]);
  return page(
    `Journey report · ${r.site}`,
    `<header><h1>Journey report · ${esc(r.site)}</h1>${view.share ? '' : '<a href="/report">all sites</a>'}
<form method="get" action="/report"><input type="hidden" name="site" value="${esc(r.site)}">${view.share ? `<input type="hidden" name="share" value="${esc(view.share)}">` : ''}
<label>from <input type="date" name="from" value="${r.from}"></label><label>to <input type="date" name="to" value="${r.to}"></label><button>Show</button></form>${view.signedIn ? LOGOUT : ''}</header>
<main>
<section class="wide"><div class="kpis">
${kpi('Visitors', int.format(r.totals.visitors), `${int.format(r.totals.sessions)} sessions`)}
${kpi('Conversion rate', pct(r.conversion.rate), `${int.format(r.conversion.converted)} sessions with a purchase`)}
${kpi('Cart abandonment', pct(r.cart_abandonment.rate), `${int.format(r.cart_abandonment.abandoned)} of ${int.format(r.cart_abandonment.carted)} carts`)}
${kpi('Bounce rate', pct(r.bounce.rate), 'one-page sessions')}
${kpi('NPS', r.nps.score == null ? '–' : String(r.nps.score), `${int.format(r.nps.responses)} responses`)}
${r.revenue.map((x) => kpi(`Revenue ${x.currency || ''}`, money(x.revenue, x.currency), `${int.format(x.orders)} orders · AOV ${money(x.aov, x.currency)}`)).join('')}
</div></section>
<section class="wide"><h2>Stage funnel</h2>${funnelSvg(r.funnel)}</section>
<section><h2>Top sources</h2>${convTable(r.sources, 'source')}</section>
<section><h2>Campaigns</h2>${convTable(r.campaigns, 'campaign')}</section>
<section><h2>Referral codes</h2>${convTable(r.referrals, 'code')}</section>
<section><h2>Engaged time on page</h2>${barTable(['page type', 'pages', 'median'], r.engaged.map((e) => [e.page_type, int.format(e.pages), secs(e.median_ms)]), r.engaged.map((e) => e.median_ms))}</section>
<section><h2>Customer lifetime value</h2>${barTable(['currency', 'customers', 'CLV', 'repeat'], r.clv.map((c) => [c.currency || '(none)', int.format(c.customers), money(c.clv, c.currency), pct(c.repeat_rate)]), r.clv.map((c) => c.customers))}</section>
<section><h2>NPS</h2>${
      r.nps.responses
        ? barTable(['answer', 'visitors'], [['promoters (9–10)', r.nps.promoters], ['passives (7–8)', r.nps.responses - r.nps.promoters - r.nps.detractors], ['detractors (0–6)', r.nps.detractors]], [r.nps.promoters, r.nps.responses - r.nps.promoters - r.nps.detractors, r.nps.detractors])
        : '<p class="empty">No NPS responses in this range.</p>'
    }</section>
<section class="wide"><h2>Web vitals (p75) by stage</h2>${vitals.length ? `<table><tr><th>metric</th><th>stage</th><th>p75</th><th>samples</th></tr>${vitals.map((v) => `<tr>${v.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</table>` : '<p class="empty">No web vitals in this range (add the web-vitals plugin).</p>'}</section>
<section class="wide"><small class="empty">${r.from} – ${r.to} (UTC) · ${int.format(r.totals.events)} events · computed in ${r.query_ms} ms · same numbers as JSON: <a href="/api/report?site=${encodeURIComponent(r.site)}&amp;from=${r.from}&amp;to=${r.to}${share}">/api/report</a>${
      view.shareLink ? ` · read-only link to this site's report, for people who should see it but never erase: <a href="${esc(view.shareLink)}">share link</a>` : ''
    }</small></section>
</main>`,
  );
};
