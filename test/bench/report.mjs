// Turns the raw runs into medians, ratios against journey-tracker and the markdown tables.

export const median = (xs) => {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};

const fmt = (x, digits = 1) => (x == null ? '–' : x >= 100 ? Math.round(x).toLocaleString('en') : x.toFixed(digits));
const kb = (b) => (b == null ? '–' : (b / 1024).toFixed(1));
const ratio = (x, base) => (x == null || !base ? '' : ` (×${(x / base).toFixed(x / base >= 10 ? 0 : 1)})`);

/** Medians per tracker from the raw runs. */
export const summarize = (trackers, raw) =>
  trackers.map((t) => {
    const runs = raw.perf[t.name] || [];
    // A run that failed half-way (a crashed or hung page) still counts for what it measured.
    const ok = runs;
    const at = (n, k) => median(ok.map((r) => r[n] && r[n][k]));
    return {
      name: t.name,
      label: t.label,
      version: t.version,
      bytes: raw.bytes[t.name],
      runs: runs.filter((r) => !r.error).length,
      errors: runs.flatMap((r) => [r.error, r.skipped].filter(Boolean)),
      readyMs: median(ok.map((r) => r.readyMs)),
      startupMs: median(ok.map((r) => r.startupMs)),
      ...Object.fromEntries(
        [1000, 10000].map((n) => [
          n,
          {
            calls: at(n, 'calls'),
            syncUs: at(n, 'syncUs'),
            mainUs: at(n, 'mainUs'),
            syncCpuUs: at(n, 'syncCpuUs'),
            mainCpuUs: at(n, 'mainCpuUs'),
            delivered: at(n, 'delivered'),
            deliverMs: at(n, 'deliverMs'),
            longTasks: at(n, 'longTasks'),
            longestMs: at(n, 'longestMs'),
          },
        ]),
      ),
      heapKB: at(10000, 'heapKB'),
      leave: raw.leave[t.name],
      fail: raw.fail[t.name],
      crash: raw.crash[t.name],
      note: t.note,
    };
  });

const of = (r) => (!r ? '–' : `${r.delivered}/${r.of}` + (r.error ? ' ⚠' : ''));

/** The markdown report. */
export const markdown = (rows, meta) => {
  const base = rows.find((r) => r.name === 'journey') || {};
  const b = (r) => r.bytes || {};
  const call = (r, n) => `${fmt(r[n].syncCpuUs, 2)}${ratio(r[n].syncCpuUs, base[n]?.syncCpuUs)} (${fmt(r[n].syncUs, 2)})`;
  const cut = (r, n) => (r[n].calls != null && r[n].calls < n ? ` [${Math.round(r[n].calls).toLocaleString('en')} calls]` : '');
  const lines = [];
  lines.push(`# Benchmark: journey-tracker and the trackers shops use`);
  lines.push('');
  lines.push(
    `Run ${meta.date} on ${meta.machine}, ${meta.browser}; ${meta.runs} runs per tracker, trackers interleaved; ` +
      `medians. Reproduce: \`${meta.command}\`. Ratios in parentheses are against journey-tracker (lower is better for all).`,
  );
  lines.push('');
  lines.push('## Size and main-thread cost');
  lines.push('');
  lines.push(
    '| tracker | version | script brotli KB (gzip / raw) | ready: main-thread CPU ms (wall ms) | track() CPU µs at 1,000: call (wall) / all work | track() CPU µs at 10,000: call (wall) / all work | long tasks at 10,000 (longest ms) | heap growth after 10,000 (KB) |',
  );
  lines.push('|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    lines.push(
      `| ${r.label} | ${r.version || '–'} | ${kb(b(r).brotli)}${ratio(b(r).brotli, b(base).brotli)} (${kb(b(r).gzip)} / ${kb(b(r).raw)}) | ` +
        `${fmt(r.startupMs)}${ratio(r.startupMs, base.startupMs)} (${fmt(r.readyMs)}) | ` +
        `${call(r, 1000)} / ${fmt(r[1000].mainCpuUs)}${ratio(r[1000].mainCpuUs, base[1000]?.mainCpuUs)}${cut(r, 1000)} | ` +
        `${call(r, 10000)} / ${fmt(r[10000].mainCpuUs)}${ratio(r[10000].mainCpuUs, base[10000]?.mainCpuUs)}${cut(r, 10000)} | ` +
        `${fmt(r[10000].longTasks, 0)} (${fmt(r[10000].longestMs, 0)}) | ${fmt(r.heapKB, 0)}${ratio(r.heapKB > 0 ? r.heapKB : null, base.heapKB > 0 ? base.heapKB : null)} |`,
    );
  }
  lines.push('');
  lines.push('## Delivery');
  lines.push('');
  lines.push(
    '| tracker | delivered of 1,000 (time to all, ms) | delivered of 10,000 (time to all, ms) | page left right after 50 events, 10 reps | endpoint 503 for 8 s, then recovers | crash (SIGKILL) while endpoint fails, then return visit |',
  );
  lines.push('|---|---|---|---|---|---|');
  for (const r of rows) {
    const d = (n) => `${fmt(r[n].delivered, 0)}${cut(r, n) ? ` of ${Math.round(r[n].calls)}` : ''} (${fmt(r[n].deliverMs, 0)})`;
    lines.push(`| ${r.label} | ${d(1000)} | ${d(10000)} | ${of(r.leave)} | ${of(r.fail)} | ${of(r.crash)} |`);
  }
  if (meta.stage) {
    const s = meta.stage;
    lines.push('');
    lines.push('## journey-tracker: cost of 50 URL rules');
    lines.push('');
    lines.push('| per call, µs (median) | no user rules | 50 user rules (none match) | difference |');
    lines.push('|---|---|---|---|');
    for (const [k, label] of [
      ['matchUs', 'rule matcher alone (stage evaluation of one URL)'],
      ['pageUs', '`page()` (evaluates the rules)'],
      ['trackUs', '`track()` (stage from the event type)'],
    ]) {
      const a = s.none[k];
      const c = s.rules[k];
      lines.push(`| ${label} | ${fmt(a, 2)} | ${fmt(c, 2)} | ${a == null || c == null ? '–' : (c - a).toFixed(2)} |`);
    }
  }
  lines.push('');
  lines.push('## How to read it');
  lines.push('');
  for (const l of meta.notes) lines.push(`- ${l}`);
  const problems = rows.filter((r) => r.errors.length || [r.leave, r.fail, r.crash].some((x) => x?.error));
  if (problems.length) {
    lines.push('');
    lines.push('## Errors seen');
    lines.push('');
    for (const r of problems) {
      const errs = [...r.errors, ...[r.leave, r.fail, r.crash].filter((x) => x?.error).map((x) => x.error)];
      lines.push(`- ${r.label}: ${[...new Set(errs)].join('; ')}`);
    }
  }
  return lines.join('\n') + '\n';
};
