// `npm run simulate -- --visitors N`: realistic journeys sent through the wire format into a
// running collector, so a fresh install has a meaningful report (and for load tests).
import { parseArgs } from 'node:util';
import { createPoster } from './lib/post.js';
import { createRandom, simulateVisitor } from './lib/journeys.js';

const { values: a } = parseArgs({
  options: {
    visitors: { type: 'string', default: '500' },
    site: { type: 'string', default: 'demo-shop' },
    url: { type: 'string', default: `http://127.0.0.1:${process.env.PORT || 8787}` },
    days: { type: 'string', default: '28' },
    concurrency: { type: 'string', default: '8' },
    seed: { type: 'string', default: String(Date.now() % 1e9) },
    help: { type: 'boolean', default: false },
  },
});
if (a.help) {
  console.log(
    'usage: npm run simulate -- [--visitors 500] [--site demo-shop] [--url http://127.0.0.1:8787] [--days 28] [--concurrency 8] [--seed N]',
  );
  process.exit(0);
}
const visitors = Math.max(1, Number(a.visitors) || 0);
const days = Math.max(1, Number(a.days) || 28);
const base = a.url.replace(/\/$/, '');
const poster = createPoster(`${base}/collect`, Number(a.concurrency) || 8);
const rnd = createRandom(Number(a.seed));
const now = Date.now();

let next = 0;
let done = 0;
let events = 0;
let batches = 0;
let purchases = 0;
/** @type {Record<number, number>} */
const statuses = {};
const started = performance.now();

const progress = (/** @type {boolean} */ last = false) => {
  const s = (performance.now() - started) / 1000;
  const line = `visitors ${done}/${visitors} · events ${events} · ${Math.round(events / Math.max(s, 0.001))} events/s`;
  process.stderr.write(process.stderr.isTTY && !last ? `\r${line}   ` : `${line}\n`);
};
const timer = setInterval(progress, process.stderr.isTTY ? 250 : 2000);

// Each visitor's browser, about as shops see them: the collector reads device, browser and OS from it. (Their
// country stays unknown: from loopback, only a trusted proxy's header could say it.)
const AGENTS = [
  [
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    30,
  ],
  ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36', 22],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 25],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15', 12],
  [
    'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    6,
  ],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0', 5],
];
const agentOf = () => {
  let r = rnd() * 100;
  return (AGENTS.find(([, w]) => (r -= /** @type {number} */ (w)) < 0) ?? AGENTS[0])[0];
};

/** Send one batch, waiting and retrying on 429/5xx as the tracker would. @param {any[]} events @param {string} ua */
const send = async (events, ua) => {
  const body = () => JSON.stringify({ v: 1, site: a.site, sent_at: Date.now(), events });
  for (let attempt = 0; ; attempt++) {
    const status = await poster.post(body(), { 'user-agent': String(ua) });
    statuses[status] = (statuses[status] ?? 0) + 1;
    if ((status !== 429 && status < 500) || attempt >= 5) return status;
    await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
  }
};

const worker = async () => {
  while (next < visitors) {
    next++;
    // Arrivals spread over the last `days` days, leaving room for return visits before now.
    const start = now - Math.floor(rnd() * days * 86_400_000);
    const v = simulateVisitor({ base, site: a.site, rnd, start, now });
    const ua = agentOf();
    for (const b of v.batches) {
      await send(b, String(ua));
      batches++;
      events += b.length;
    }
    purchases += v.purchases;
    done++;
  }
};

try {
  await Promise.all(Array.from({ length: Number(a.concurrency) || 8 }, worker));
} catch (e) {
  clearInterval(timer);
  console.error(
    `\nsimulate: cannot reach ${base}/collect (${/** @type {Error} */ (e).message}). Is the collector running? npm start`,
  );
  process.exit(1);
}
clearInterval(timer);
progress(true);
const secs = (performance.now() - started) / 1000;
console.log(
  `done: ${visitors} visitors, ${events} events in ${batches} batches, ${purchases} purchases, ${secs.toFixed(1)} s (${Math.round(events / secs)} events/s)`,
);
console.log(
  `answers: ${Object.entries(statuses)
    .map(([s, n]) => `${s}×${n}`)
    .join(', ')}`,
);
console.log(`report: ${base}/report?site=${encodeURIComponent(a.site)}`);
poster.close();
