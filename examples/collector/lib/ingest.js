import { parseJson } from './json.js';
import { checkBatch } from './validate.js';

/**
 * Counts by reason, and one log line for all of them at most every `everyMs`: a client that sends bad events on
 * every beacon costs a line a period, not a line a beacon. `totals` keeps the counts since start (/healthz).
 * @param {string} what  e.g. 'refused events'
 * @param {{ everyMs?: number, log?: (line: string) => void }} [opts]
 */
export const createTally = (what, { everyMs = 10_000, log = (line) => console.warn(line) } = {}) => {
  /** @type {Record<string, number>} */
  let recent = {};
  let next = 0;
  /** @type {Record<string, number>} */
  const totals = {};
  return {
    totals,
    /** @param {string} reason @param {number} [n] */
    add(reason, n = 1) {
      recent[reason] = (recent[reason] ?? 0) + n;
      totals[reason] = (totals[reason] ?? 0) + n;
      const now = Date.now();
      if (now < next) return;
      const list = Object.entries(recent)
        .map(([r, k]) => `${r} ×${k}`)
        .join('; ');
      log(`collector: ${what} (one line at most every ${Math.round(everyMs / 1000)} s): ${list}`);
      recent = {};
      next = now + everyMs;
    },
  };
};

/**
 * From a request body to what is stored and answered. A broken envelope is a status and an error for the whole
 * batch: 400 (not JSON, not a batch of version 1 with a site key and an events array) or 413 (too many events);
 * an event nested too deep is refused on its own (checkBatch walks each event, bounded). Otherwise the rows of its valid events, and the refused ones counted in
 * `refusals` by reason.
 * @param {string} text
 * @param {number} now
 * @param {ReturnType<typeof createTally>} refusals
 * @param {import('./validate.js').Visitor} [who] the request's visitor columns
 * @returns {{ status: number, error: string } | Extract<import('./validate.js').Checked, { rows: unknown }>}
 */
export const readBatch = (text, now, refusals, who) => {
  const parsed = parseJson(text);
  if ('error' in parsed) return { status: 400, error: parsed.error };
  const checked = checkBatch(parsed.value, now, who);
  if ('error' in checked) return { status: checked.error.startsWith('events: over') ? 413 : 400, error: checked.error };
  if (checked.refused) for (const r in checked.reasons) refusals.add(r, checked.reasons[r]);
  return checked;
};

/**
 * The answer to a stored batch: how many events were stored (or were repeats of stored ones), how many were
 * refused, and why.
 * @param {{ rows: unknown[], refused: number, reasons: Record<string, number> }} checked
 */
export const answer = ({ rows, refused, reasons }) =>
  refused ? { ok: true, events: rows.length, refused, reasons } : { ok: true, events: rows.length, refused: 0 };
