// The report page: server-rendered HTML and CSS, no script (it works under a CSP without scripts): plain
// links and forms. It paints at once, shows the same numbers as /api/report, and defines each figure where
// it stands.
import { VITAL_RATING, change, count, days, esc, int, money, pct, secs, vital } from './report-format.js';
import { chart } from './report-chart.js';

// The login page escapes with the same function.
export { esc };

const CSS = `
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330;overflow-wrap:break-word}
header{background:#1d2330;color:#fff;padding:12px 16px;display:flex;gap:8px 16px;align-items:center;flex-wrap:wrap}
header h1{font-size:18px;margin:0 auto 0 0}header a{color:#9cc4ff}
form{display:flex;gap:6px 10px;align-items:end;flex-wrap:wrap}form label{display:flex;flex-direction:column;font-size:12px}
input,button{font:inherit;font-size:15px;padding:3px 6px;max-width:100%}button{cursor:pointer}
nav{display:flex;gap:4px 12px;flex-wrap:wrap;font-size:14px}
main{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,340px),1fr));gap:14px;padding:14px 16px;max-width:1400px}
section{background:#fff;border-radius:8px;padding:12px 14px;box-shadow:0 1px 2px #0001;min-width:0}
section.wide{grid-column:1/-1}h2{font-size:14px;margin:0 0 8px;text-transform:uppercase;letter-spacing:.04em;color:#5a6475}
.kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:10px}.kpi{padding:8px 10px;background:#f6f7f9;border-radius:6px}
.kpi b{display:block;font-size:21px;white-space:nowrap}.kpi small,.note,details{color:#5a6475;font-size:13px}
.up{color:#1f7a4d}.down{color:#b3261e}
table{width:100%;border-collapse:collapse;font-size:14px}td,th{padding:4px 6px;text-align:right;vertical-align:top}
td:first-child,th:first-child{text-align:left}th{color:#5a6475;font-weight:600;border-bottom:1px solid #e3e6eb}.n{white-space:nowrap}
.bar{position:relative;height:16px;background:#eef1f5;border-radius:3px;min-width:24px}
.bar i{position:absolute;left:0;top:0;bottom:0;background:#4f8cf7;border-radius:3px}
.step{display:flex;flex-wrap:wrap;justify-content:space-between;gap:2px 10px;margin:0 0 8px}.step .bar{flex:1 0 100%;height:20px}
.step small{flex:1 0 100%;color:#5a6475;font-size:13px}td:first-child{overflow-wrap:break-word}.scroll{overflow-x:auto}
@media (max-width:520px){table{font-size:13px}td,th{padding:4px 3px}main{padding:10px 8px;gap:10px}section{padding:10px}.barcell{display:none}header{padding:10px 12px}}
.error{background:#fdecea;color:#8c1d18;border:1px solid #f5c2bd;border-radius:6px;padding:10px 12px;grid-column:1/-1;margin:0}
.empty{color:#6b7485}pre{background:#f6f7f9;padding:8px;overflow-x:auto;white-space:pre-wrap;font-size:13px}
.good{color:#1f7a4d}.ni{color:#9a6200}.poor{color:#b3261e}td small{font-size:12px;color:#5a6475}td small.good{color:#1f7a4d}td small.ni{color:#9a6200}td small.poor{color:#b3261e}
svg{display:block;width:100%;height:160px}.axis{display:flex;justify-content:space-between;font-size:12px;color:#5a6475}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,390px),1fr));gap:4px 24px}.grid>div{min-width:0}h3{margin:10px 0 4px}
.legend{display:flex;gap:4px 14px;flex-wrap:wrap;font-size:13px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}`;

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

/** A figure's definition, folded: no script needed. @param {string} text */
const defn = (text) => `<details><summary>How it is counted</summary>${text}</details>`;

/**
 * A table whose last column is drawn as a bar; `link` adds a CSV download of it.
 * @param {string[]} head @param {(string | number)[][]} rows @param {number[]} values bar lengths, one per row
 */
const barTable = (head, rows, values) => {
  if (!rows.length) return '<p class="empty">No data in this range.</p>';
  const max = Math.max(...values, 1e-9);
  return `<table><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}<th class="barcell"></th></tr>${rows
    .map(
      (r, i) =>
        `<tr>${r.map((c, j) => `<td${j ? ' class="n"' : ''}>${esc(c)}</td>`).join('')}<td class="barcell" style="width:22%"><div class="bar"><i style="width:${((values[i] / max) * 100).toFixed(1)}%"></i></div></td></tr>`,
    )
    .join('')}</table>`;
};

/** @param {string[]} head @param {(string | number)[][]} rows @param {string} [empty] */
const table = (head, rows, empty = 'No data in this range.') =>
  rows.length
    ? `<div class="scroll"><table><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((c, j) => `<td${j ? ' class="n"' : ''}>${c}</td>`).join('')}</tr>`).join('')}</table></div>`
    : `<p class="empty">${esc(empty)}</p>`;

/** @param {{ name: string, sessions: number, converted: number, rate: number | null }[]} list @param {string} label */
const convTable = (list, label) =>
  barTable(
    [label, 'sessions', 'with a purchase', 'conv.'],
    list.map((s) => [s.name, int.format(s.sessions), int.format(s.converted), pct(s.rate)]),
    list.map((s) => s.sessions),
  );

/** A change against the previous period, coloured by whether up is good. @param {string} text @param {boolean} [upIsGood] */
const delta = (text, upIsGood = true) => {
  const cls =
    text.startsWith('+') || text === 'new' ? (upIsGood ? 'up' : 'down') : text.startsWith('−') ? (upIsGood ? 'down' : 'up') : '';
  return `<span class="${cls}">${esc(text)}</span> vs previous period`;
};

/** @param {string} label @param {string} value @param {string} note @param {string} [vs] already escaped */
const kpi = (label, value, note, vs = '') =>
  `<div class="kpi"><small>${esc(label)}</small><b>${esc(value)}</b><small>${esc(note)}${vs && `<br>${vs}`}</small></div>`;

/** @type {Record<string, string>} */
export const STEP_NAMES = {
  visited: 'Visited',
  viewed_products: 'Viewed products',
  added_to_cart: 'Added to cart',
  purchased: 'Purchased',
  came_back: 'Came back after buying',
  recommended: 'Recommended',
};
const STAGE_NAMES = {
  awareness: 'Awareness',
  consideration: 'Consideration',
  conversion: 'Conversion',
  retention: 'Retention',
  advocacy: 'Advocacy',
};

/** @typedef {Awaited<ReturnType<typeof import('./metrics.js').buildReport>>} Report */

/** @param {Report} r @param {string} query */
const funnel = (r, query) => {
  const max = Math.max(1, r.funnel[0].visitors);
  const rows = r.funnel.map(
    (
      f,
      i,
    ) => `<div class="step" data-step="${f.step}"><span><b>${esc(STEP_NAMES[f.step])}</b></span><span class="n">${esc(count(f.visitors, 'visitor'))}${i ? ` · ${pct(f.of_previous)} of previous` : ''}</span>
<div class="bar"><i style="width:${((f.visitors / max) * 100).toFixed(1)}%"></i></div>${f.entrants ? `<small>+ ${esc(count(f.entrants, 'visitor'))} reached this step without the steps before it</small>` : ''}</div>`,
  );
  const purchased = r.funnel[3];
  return `<section class="wide" aria-label="Journey funnel"><h2>Journey funnel</h2>${rows.join('')}
<p class="note">${esc(count(r.advocates_without_purchase, 'visitor'))} recommended the shop without ever buying (not in the funnel). Purchased ${int.format(purchased.visitors)} + ${int.format(purchased.entrants)} beside = ${esc(count(r.conversion.purchasers, 'purchasing visitor'))}. ${csv(r, 'funnel', query)}</p>
${defn(`Per visitor, in order (a closed funnel): a visitor counts at a step only after every step before it, in this range, so the counts never grow. <b>Viewed products</b>: a <code>view_item</code>, <code>view_item_list</code> or <code>select_item</code>. <b>Added to cart</b>: an <code>add_to_cart</code> after that. <b>Purchased</b>: a <code>purchase</code> after that. <b>Came back after buying</b>: a later session begun after that purchase. <b>Recommended</b>: a <code>share</code>, <code>referral_share</code>, <code>write_review</code> or an NPS answer of 9–10 after that. Visitors who did a step without the steps before it (a direct checkout link, a purchase before this range) are counted beside it, not in it. A visitor who never bought is never counted after "Purchased".`)}</section>`;
};

/** @param {Report} r @param {string} query */
const now = (r, query) =>
  `<section><h2>Where visitors are now</h2>${barTable(
    ['stage', 'visitors'],
    r.stages_now.map((s) => [STAGE_NAMES[s.stage], int.format(s.visitors)]),
    r.stages_now.map((s) => s.visitors),
  )}<p class="note">${csv(r, 'stages_now', query)}</p>
${defn('The stage of each visitor at their last event in this range (the stages of the tracker: a visitor can move back, e.g. from conversion to consideration).')}</section>`;

/** @param {Report} r @param {string} query */
const kpis = (r, query) => {
  const p = r.previous;
  const revenue = r.revenue.map((x) => {
    const before = p?.revenue.find((y) => y.currency === x.currency);
    return kpi(
      `Revenue ${x.currency || '(no currency)'}`,
      money(x.revenue, x.currency),
      `${count(x.orders, 'order')} · average ${money(x.aov, x.currency)}`,
      p ? delta(change(x.revenue, before?.revenue ?? 0)) : '',
    );
  });
  return `<section class="wide"><div class="kpis">
${kpi('Visitors', int.format(r.totals.visitors), count(r.totals.sessions, 'session'), p ? delta(change(r.totals.visitors, p.totals.visitors)) : '')}
${kpi('Sessions', int.format(r.totals.sessions), count(r.totals.page_views, 'page view'), p ? delta(change(r.totals.sessions, p.totals.sessions)) : '')}
${kpi('Conversion rate', pct(r.conversion.rate), `${count(r.conversion.converted, 'session')} with a purchase, ${count(r.conversion.purchasers, 'visitor')}`, p ? delta(change(r.conversion.rate, p.conversion.rate, true)) : '')}
${kpi(
  'Orders',
  int.format(r.revenue.reduce((n, x) => n + x.orders, 0)),
  r.revenue.length ? r.revenue.map((x) => money(x.revenue, x.currency)).join(' · ') : 'no revenue',
  p
    ? delta(
        change(
          r.revenue.reduce((n, x) => n + x.orders, 0),
          p.revenue.reduce((n, x) => n + x.orders, 0),
        ),
      )
    : '',
)}
${revenue.join('')}
${kpi('Cart abandonment', pct(r.cart_abandonment.rate), `${int.format(r.cart_abandonment.abandoned)} of ${count(r.cart_abandonment.carted, 'cart')}`, p ? delta(change(r.cart_abandonment.rate, p.cart_abandonment.rate, true), false) : '')}
${kpi('Bounce rate', pct(r.bounce.rate), `${count(r.bounce.bounced, 'one-page session')}`, p ? delta(change(r.bounce.rate, p.bounce.rate, true), false) : '')}
${kpi('NPS', r.nps.score == null ? '–' : String(r.nps.score), count(r.nps.responses, 'response'), p ? delta(r.nps.score == null || p.nps.score == null ? '–' : change(r.nps.score / 100, p.nps.score / 100, true)) : '')}
</div><p class="note">Revenue per currency: ${csv(r, 'revenue', query)}</p>${defn(`<b>Conversion rate</b> is per session: sessions with a <code>purchase</code> ÷ sessions with a page view. <b>Orders</b> count each <code>transaction_id</code> once; revenue is per currency, never summed across currencies. <b>Cart abandonment</b>: ended sessions with a cart and no purchase ÷ ended sessions with a cart. <b>Bounce</b>: sessions with exactly one page view. <b>NPS</b>: each visitor's latest answer, % promoters (9–10) − % detractors (0–6). Changes compare with the ${count(r.days, 'day')} just before this range${p ? ` (${p.from} – ${p.to})` : ''}; rates change in percentage points.`)}</section>`;
};

/** @param {Report} _r @param {string} name @param {string} query */
const csv = (_r, name, query) => `<a href="/api/report?${query}&amp;format=csv&amp;table=${name}" download>CSV</a>`;

/** @param {Report} r @param {string} query */
const vitals = (r, query) => {
  const names = [...new Set(r.vitals.map((v) => v.name))];
  const blocks = names.map((name) => {
    const rows = r.vitals
      .filter((v) => v.name === name)
      .map((v) => {
        const rating = v.rating;
        return [
          esc(STAGE_NAMES[/** @type {keyof typeof STAGE_NAMES} */ (v.stage)] ?? v.stage),
          esc(vital(v.name, v.p75)),
          `<span class="${rating === 'good' ? 'good' : rating === 'poor' ? 'poor' : 'ni'}">${esc(rating)}</span>`,
          int.format(v.samples),
        ];
      });
    return `<div><h3 class="note">${esc(name)}${VITAL_RATING[name]?.unit ? ` (${VITAL_RATING[name].unit})` : ' (score)'}</h3>${table(['stage', 'p75', 'rating', 'samples'], rows)}</div>`;
  });
  return `<section class="wide"><h2>Web vitals by stage (p75)</h2>${blocks.length ? `<div class="grid">${blocks.join('')}</div>` : '<p class="empty">No web vitals in this range (add the web-vitals plugin).</p>'}
<p class="note">${csv(r, 'vitals', query)}</p>${defn("The 75th percentile of each metric's samples, by the stage the visitor was in. LCP, INP, FCP and TTFB in milliseconds; CLS is a score without unit. Rating by Google's thresholds: LCP good ≤ 2,500 ms, poor > 4,000; INP 200 / 500 ms; CLS 0.1 / 0.25; FCP 1,800 / 3,000 ms; TTFB 800 / 1,800 ms.")}</section>`;
};

const SHORT = { awareness: 'Aware.', consideration: 'Consid.', conversion: 'Conv.', retention: 'Retent.', advocacy: 'Advoc.' };

/** @param {Report} r @param {string} query */
const movement = (r, query) => {
  const stages = /** @type {(keyof typeof STAGE_NAMES)[]} */ (Object.keys(STAGE_NAMES));
  const n = (/** @type {string} */ f, /** @type {string} */ t) =>
    r.transitions.find((x) => x.from === f && x.to === t)?.count ?? 0;
  const max = Math.max(1, ...r.transitions.map((x) => x.count));
  const abbr = (/** @type {keyof typeof STAGE_NAMES} */ s) => `<abbr title="${STAGE_NAMES[s]}">${SHORT[s]}</abbr>`;
  const matrix = r.transitions.length
    ? `<table><tr><th>from ↓ to →</th>${stages.map((s) => `<th>${abbr(s)}</th>`).join('')}</tr>${stages
        .map(
          (f) =>
            `<tr><td>${abbr(f)}</td>${stages
              .map((t) => {
                const c = n(f, t);
                return `<td class="n"${c ? ` style="background:rgba(79,140,247,${(0.08 + (0.5 * c) / max).toFixed(2)})"` : ''}>${int.format(c)}</td>`;
              })
              .join('')}</tr>`,
        )
        .join('')}</table>`
    : '<p class="empty">No stage changes in this range.</p>';
  const fp = r.first_purchase;
  const lcp = r.lcp_conversion.map((x) => [
    esc(STAGE_NAMES[/** @type {keyof typeof STAGE_NAMES} */ (x.stage)] ?? x.stage),
    `<span class="${x.rating === 'good' ? 'good' : x.rating === 'poor' ? 'poor' : 'ni'}">${esc(x.rating)}</span>`,
    int.format(x.sessions),
    pct(x.rate),
  ]);
  return `<section><h2>Stage changes</h2>${matrix}<p class="note">${csv(r, 'transitions', query)}</p>
${defn('Each <code>stage_change</code> event in this range, by the stage it left (rows) and the stage it entered (columns). Journeys are not linear: visitors also move back.')}</section>
<section><h2>Time to first purchase</h2><div class="kpis">${kpi('Median time', days(fp.median_days), `from the first visit, ${count(fp.buyers, 'first-time buyer')}`)}${kpi('Median sessions', fp.median_sessions == null ? '–' : int.format(fp.median_sessions), 'up to and including the purchase')}</div>
${defn('Visitors whose first purchase ever falls in this range: the time from their first event (any time before) to that purchase, and how many sessions they had begun by then.')}</section>
<section><h2>What slow pages cost</h2>${table(['stage', 'LCP', 'sessions', 'conv.'], lcp, 'No LCP samples in this range (add the web-vitals plugin).')}<p class="note">${csv(r, 'lcp_conversion', query)}</p>
${defn("Sessions with an LCP sample, by the stage the visitor was in and Google's rating of the session's first LCP (its landing page: good ≤ 2,500 ms, poor > 4,000 ms); conversion: sessions with a purchase ÷ sessions.")}</section>`;
};

const CHECKOUT_NAMES = {
  item: 'Viewed an item',
  cart: 'Added to cart',
  checkout: 'Began checkout',
  shipping: 'Shipping info',
  payment: 'Payment info',
  purchase: 'Purchased',
};

/** @param {Report} r @param {string} query */
const checkout = (r, query) => {
  const max = Math.max(1, r.checkout[0].sessions);
  const rows = r.checkout.map(
    (
      c,
      i,
    ) => `<div class="step"><span><b>${esc(CHECKOUT_NAMES[/** @type {keyof typeof CHECKOUT_NAMES} */ (c.step)])}</b></span><span class="n">${esc(count(c.sessions, 'session'))}${i ? ` · ${pct(c.of_previous)}` : ''}</span>
<div class="bar"><i style="width:${((c.sessions / max) * 100).toFixed(1)}%"></i></div>${c.entrants ? `<small>+ ${esc(count(c.entrants, 'session'))} without the steps before</small>` : ''}</div>`,
  );
  return `<section aria-label="Checkout steps"><h2>Checkout steps</h2>${rows.join('')}<p class="note">${csv(r, 'checkout', query)}</p>
${defn('Per session, in order: <code>view_item</code> → <code>add_to_cart</code> → <code>begin_checkout</code> → <code>add_shipping_info</code> → <code>add_payment_info</code> → <code>purchase</code>. A session counts at a step only after every step before it; sessions that did a step without them are counted beside it.')}</section>`;
};

/** @param {Report} r @param {string} query */
const products = (r, query) => {
  const top = r.products.slice(0, 20);
  const rows = top.map((p) => [
    `${esc(p.name || p.item_id)}<br><small>${esc(count(p.quantity, 'unit'))} sold${p.name && p.name !== p.item_id ? ` · ${esc(p.item_id)}` : ''}</small>`,
    int.format(p.views),
    int.format(p.carts),
    int.format(p.purchases),
    p.revenue.map((x) => esc(money(x.revenue, x.currency))).join('<br>') || '–',
    pct(p.view_to_purchase),
  ]);
  return `<section class="wide"><h2>Products</h2>${table(['product', 'views', 'carts', 'orders', 'revenue', 'orders ÷ views'], rows, 'No items in commerce events in this range.')}
<p class="note">${r.products.length > top.length ? `The top ${top.length} of ${int.format(r.products.length)} by orders; all in the ` : ''}${csv(r, 'products', query)}</p>
${defn('From the <code>items</code> of commerce events. Views: <code>view_item</code> events holding the item; carts: <code>add_to_cart</code> events. Orders: purchases holding it, each <code>transaction_id</code> once; quantity and revenue (price × quantity) from those orders, per currency. Orders ÷ views can pass 100% when orders come without a tracked view.')}</section>`;
};

/**
 * The date form and the presets, with what was asked kept (and the share key a shared page was opened with).
 * @param {{ site: string, from: string, to: string, tz: string, presets: { label: string, from: string, to: string }[], view?: View }} q
 */
const controls = (q) => {
  const share = q.view?.share;
  const link = (/** @type {{ from: string, to: string }} */ p) =>
    `/report?${new URLSearchParams({ site: q.site, from: p.from, to: p.to, ...(q.tz !== 'UTC' && { tz: q.tz }), ...(share && { share }) })}`.replace(
      /&/g,
      '&amp;',
    );
  return `<nav aria-label="Ranges">${q.presets.map((p) => `<a href="${link(p)}"${p.from === q.from && p.to === q.to ? ' aria-current="true"' : ''}>${esc(p.label)}</a>`).join('')}</nav>
<form method="get" action="/report"><input type="hidden" name="site" value="${esc(q.site)}">${share ? `<input type="hidden" name="share" value="${esc(share)}">` : ''}
<label>from <input type="date" name="from" value="${esc(q.from)}"></label><label>to <input type="date" name="to" value="${esc(q.to)}"></label>
<label>time zone <input name="tz" value="${esc(q.tz)}" size="14"></label><button>Show</button></form>`;
};

/** A shared page leads nowhere else. @param {string} site @param {string} body @param {View} [view] */
const shell = (site, body, view = {}) =>
  `<header><h1>Journey report · ${esc(site)}</h1>${view.share ? '' : '<a href="/report">all sites</a>'}${view.signedIn ? LOGOUT : ''}</header>${body}`;

/**
 * The page for one site. `error`: what was wrong with the request (shown inside the page, the form kept).
 * @param {{ report?: Report, error?: string, site: string, from: string, to: string, tz: string, presets: { label: string, from: string, to: string }[], view?: View }} q
 */
export const renderReport = (q) => {
  const r = q.report;
  const view = q.view ?? {};
  const form = `<section class="wide">${controls(q)}</section>`;
  if (!r)
    return page(
      `Journey report · ${q.site}`,
      shell(q.site, `<main>${form}<p class="error" role="alert">${esc(q.error)}</p></main>`, view),
    );
  // Every link to the data (JSON, CSV) carries the range, the zone and a shared page's key.
  const query = new URLSearchParams({
    site: r.site,
    from: r.from,
    to: r.to,
    ...(r.tz !== 'UTC' && { tz: r.tz }),
    ...(view.share && { share: view.share }),
  })
    .toString()
    .replace(/&/g, '&amp;');
  return page(
    `Journey report · ${r.site}`,
    shell(
      r.site,
      `<main>${form}
${kpis(r, query)}
${funnel(r, query)}
${now(r, query)}
${chart(r, query)}
${products(r, query)}
${checkout(r, query)}
${movement(r, query)}
<section><h2>Top sources</h2>${convTable(r.sources, 'source')}<p class="note">${csv(r, 'sources', query)}</p>${defn('Each session is credited to the source of its first page view (search, social, paid, referral, email, direct). Conversion: sessions with a purchase ÷ sessions.')}</section>
<section><h2>Campaigns</h2>${convTable(r.campaigns, 'campaign')}<p class="note">${csv(r, 'campaigns', query)}</p>${defn('<code>utm_campaign</code> of the first page view of each session.')}</section>
<section><h2>Referral codes</h2>${convTable(r.referrals, 'code')}<p class="note">${csv(r, 'referrals', query)}</p>${defn('<code>ref</code> of the first page view of each session: visitors who arrived through a referral link.')}</section>
<section><h2>Engaged time on page</h2>${barTable(
        ['page type', 'pages', 'median'],
        r.engaged.map((e) => [e.page_type, int.format(e.pages), secs(e.median_ms)]),
        r.engaged.map((e) => e.median_ms),
      )}<p class="note">${csv(r, 'engaged', query)}</p>${defn('Visible time on a page, from <code>page_leave</code>: the median per page type.')}</section>
<section><h2>Customer lifetime value</h2>${barTable(
        ['currency', 'customers', 'value', 'repeat'],
        r.clv.map((c) => [c.currency || '(none)', int.format(c.customers), money(c.clv, c.currency), pct(c.repeat_rate)]),
        r.clv.map((c) => c.customers),
      )}
<p class="note">Customers who bought up to ${esc(r.to)}, with all their purchases up to then: not only this range. ${csv(r, 'clv', query)}</p>${defn('Per customer (user id when signed in, else visitor id) and currency: revenue ÷ customers. Repeat: customers with more than one order.')}</section>
<section><h2>NPS</h2>${
        r.nps.responses
          ? barTable(
              ['answer', 'visitors'],
              [
                ['promoters (9–10)', r.nps.promoters],
                ['passives (7–8)', r.nps.responses - r.nps.promoters - r.nps.detractors],
                ['detractors (0–6)', r.nps.detractors],
              ],
              [r.nps.promoters, r.nps.responses - r.nps.promoters - r.nps.detractors, r.nps.detractors],
            )
          : '<p class="empty">No NPS responses in this range.</p>'
      }<p class="note">${csv(r, 'nps', query)}</p></section>
${vitals(r, query)}
<section class="wide"><p class="note">${esc(r.from)} – ${esc(r.to)}, days in ${esc(r.tz)} · ${esc(count(r.totals.events, 'event'))} · computed in ${r.query_ms} ms · the same numbers as JSON: <a href="/api/report?${query}">/api/report</a>${
        view.shareLink
          ? ` · read-only link to this site's report, for people who should see it but never erase: <a href="${esc(view.shareLink)}">share link</a>`
          : ''
      }</p></section>
</main>`,
      view,
    ),
  );
};

/** @param {{ site: string, events: number, last: number }[]} sites */
const siteTable = (sites) =>
  `<table><tr><th>site</th><th>events</th><th>last event (UTC)</th></tr>${sites
    .map(
      (s) =>
        `<tr><td><a href="/report?site=${encodeURIComponent(s.site)}">${esc(s.site)}</a></td><td class="n">${int.format(s.events)}</td><td class="n">${new Date(s.last).toISOString().slice(0, 16).replace('T', ' ')}</td></tr>`,
    )
    .join('')}</table>`;

/** @param {{ site: string, events: number, last: number }[]} sites @param {View} [view] */
export const renderSites = (sites, view = {}) =>
  page(
    'Journey report',
    `<header><h1>Journey report</h1>${view.signedIn ? LOGOUT : ''}</header><main><section class="wide"><h2>Sites</h2>${
      sites.length
        ? siteTable(sites)
        : '<p class="empty">No events yet. Browse the <a href="/shop/">demo shop</a> or run <code>npm run simulate</code>.</p>'
    }</section></main>`,
  );

/**
 * A site with no event at all: how to install the tag, and the sites that do have events (not on a shared
 * page: its key opens one site, and the names of the others are not its to see).
 * @param {string} site @param {string} origin this collector, as the browser reached it @param {{ site: string, events: number, last: number }[]} sites
 * @param {View} [view]
 */
export const renderWaiting = (site, origin, sites, view = {}) =>
  page(
    `Journey report · ${site}`,
    shell(
      site,
      `<main><section class="wide"><h2>Waiting for the first event</h2><p>No event has arrived for <b>${esc(site)}</b> yet. Is the tag installed? Put this in every page of the shop, before <code>&lt;/head&gt;</code>:</p>
<pre>${esc(`<script>window.journey=window.journey||function(){(journey.q=journey.q||[]).push(arguments)}</script>\n<script async src="${origin}/journey.min.js" data-endpoint="${origin}/collect" data-site="${site}"></script>`)}</pre>
<p class="note">Then open a page of the shop and reload this one. The site key must match <code>data-site</code> exactly.</p></section>
${view.share ? '' : `<section class="wide"><h2>Sites with events</h2>${sites.length ? siteTable(sites) : '<p class="empty">None yet.</p>'}</section>`}</main>`,
      view,
    ),
  );
