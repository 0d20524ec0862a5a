// The report's chart over time: inline SVG with no text in it (the SVG stretches to the card's width, and text
// inside would shrink with it on a phone), its labels in HTML around it; the numbers as a table under it.
import { count, esc, int, money } from './report-format.js';

/**
 * One small chart: a line for each series (or bars for one), the same scale for all.
 * @param {{ name: string, color: string, values: number[] }[]} series @param {boolean} [bars]
 */
const svg = (series, bars = false) => {
  const n = series[0].values.length;
  const max = Math.max(1e-9, ...series.flatMap((s) => s.values));
  const W = Math.max(n, 1);
  const y = (/** @type {number} */ v) => (100 - (v / max) * 96).toFixed(2);
  const body = series.map((s) =>
    bars
      ? s.values
          .map((v, i) =>
            v
              ? `<rect x="${i + 0.15}" y="${y(v)}" width="0.7" height="${(100 - Number(y(v))).toFixed(2)}" fill="${s.color}"/>`
              : '',
          )
          .join('')
      : `<polyline fill="none" stroke="${s.color}" stroke-width="2" vector-effect="non-scaling-stroke" points="${s.values.map((v, i) => `${i + 0.5},${y(v)}`).join(' ')}"/>`,
  );
  return `<svg viewBox="0 0 ${W} 100" preserveAspectRatio="none" role="img" aria-label="${esc(series.map((s) => s.name).join(', '))}"><line x1="0" y1="100" x2="${W}" y2="100" stroke="#c9ced6" vector-effect="non-scaling-stroke"/>${body.join('')}</svg>`;
};

/** @param {{ name: string, color: string }[]} items @param {string} max */
const legend = (items, max) =>
  `<div class="legend">${items.map((s) => `<span><i style="background:${s.color}"></i>${esc(s.name)}</span>`).join('')}<span>top: ${esc(max)}</span></div>`;

/**
 * @param {Awaited<ReturnType<typeof import('./metrics.js').buildReport>>} r @param {string} query the report's query string, escaped
 */
export const chart = (r, query) => {
  const t = r.timeline;
  const rows = t.rows;
  if (!rows.length) return '';
  const axis = `<div class="axis"><span>${esc(rows[0].at)}</span><span>${esc(rows[rows.length - 1].at)}</span></div>`;
  const visitors = rows.map((x) => x.visitors);
  const sessions = rows.map((x) => x.sessions);
  const orders = rows.map((x) => x.orders);
  const people = [
    { name: 'visitors', color: '#2f6fe0', values: visitors },
    { name: 'sessions', color: '#e0912f', values: sessions },
  ];
  const money_ = t.currencies.map((c) => {
    const values = rows.map((x) => x.revenue[c] ?? 0);
    return `<h3 class="note">Revenue ${esc(c || '(no currency)')}</h3>${legend([{ name: 'revenue', color: '#1f9d7a' }], money(Math.max(...values), c))}${svg([{ name: `revenue ${c}`, color: '#1f9d7a', values }], true)}${axis}`;
  });
  const head = ['when', 'visitors', 'sessions', 'orders', ...t.currencies.map((c) => `revenue ${c || '(none)'}`)];
  const table = `<div class="scroll"><table><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows
    .map(
      (x) =>
        `<tr><td>${esc(x.at)}</td><td class="n">${int.format(x.visitors)}</td><td class="n">${int.format(x.sessions)}</td><td class="n">${int.format(x.orders)}</td>${t.currencies.map((c) => `<td class="n">${esc(money(x.revenue[c] ?? 0, c))}</td>`).join('')}</tr>`,
    )
    .join('')}</table></div>`;
  return `<section class="wide"><h2>Over time, by ${t.unit}</h2>
${legend(people, int.format(Math.max(...visitors, ...sessions)))}${svg(people)}${axis}
<h3 class="note">Orders</h3>${legend([{ name: 'orders', color: '#5d98f8' }], int.format(Math.max(...orders)))}${svg([{ name: 'orders', color: '#5d98f8', values: orders }], true)}${axis}
${money_.join('')}
<details><summary>The numbers (${esc(count(rows.length, t.unit))})</summary>${table}</details>
<p class="note"><a href="/api/report?${query}&amp;format=csv&amp;table=timeline" download>CSV</a></p>
<details><summary>How it is counted</summary>Days (hours for ranges of two days or less) in ${esc(r.tz)}. Visitors: distinct visitors with an event that ${t.unit} (one visitor on two days counts on both). Sessions: sessions with a page view, on the ${t.unit} of their first event. Orders and revenue: each <code>transaction_id</code> once, per currency.</details></section>`;
};
