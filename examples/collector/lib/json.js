/**
 * Whether `v` nests deeper than `left` levels. Stops at the bound, so it never recurses further than that.
 * @param {unknown} v @param {number} left @returns {boolean}
 */
export const tooDeep = (v, left) => {
  if (typeof v !== 'object' || v === null) return false;
  if (left === 0) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (tooDeep(v[i], left - 1)) return true;
    return false;
  }
  for (const k in v) if (tooDeep(/** @type {Record<string, unknown>} */ (v)[k], left - 1)) return true;
  return false;
};

/**
 * JSON.parse with the nesting bounded. V8's parser is iterative, so a body nested thousands deep parses; then
 * every recursive walk of it (JSON.stringify of its props, a database driver) throws RangeError: one request,
 * one 500 and a stack trace. A walk of the parsed value, stopping at the bound, costs about a twentieth of
 * a scan of the text (about 1 µs for a 20-event batch). Without `maxDepth` no walk: the caller bounds what it
 * reads itself (a batch checks each event, so one deep event does not cost its batch).
 * @param {string} text
 * @param {number} [maxDepth]
 * @returns {{ value: unknown } | { error: string }}
 */
export const parseJson = (text, maxDepth) => {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    // SyntaxError, or RangeError from an engine whose parser recurses.
    return { error: 'malformed JSON' };
  }
  return maxDepth !== undefined && tooDeep(value, maxDepth) ? { error: `nested over ${maxDepth} levels` } : { value };
};
