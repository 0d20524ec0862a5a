// The one place where values become SQL text. ClickHouse 18.16 (Debian's) has no query parameters,
// so values are inlined: only the types below are accepted, anything else throws.

/** @param {string} c */
const hex = (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

/**
 * A ClickHouse literal for a string, finite number, bigint, boolean or null.
 * Strings: backslash and quote escaped, control characters as \xHH, so no value can end the literal.
 * @param {unknown} v
 * @returns {string}
 */
export const literal = (v) => {
  if (v === null) return 'NULL';
  switch (typeof v) {
    case 'string':
      return `'${v.replace(/[\\']/g, '\\$&').replace(/[\x00-\x1f\x7f]/g, hex)}'`;
    case 'number':
      if (!Number.isFinite(v)) break;
      // Parenthesised so a negative value never forms `--` (a comment) after a minus sign.
      return v < 0 ? `(${v})` : String(v);
    case 'bigint':
      return v < 0n ? `(${v})` : String(v);
    case 'boolean':
      return v ? '1' : '0';
  }
  throw new TypeError(`literal: refusing a ${v === undefined ? 'undefined' : typeof v} value`);
};

const PLACEHOLDER = /\{([a-z_][a-z0-9_]*)\}/g;

/**
 * Fill the `{name}` placeholders of our own SQL. `native` (servers with query parameters) sends
 * the values apart from the text, typed; otherwise each is inlined through `literal`.
 * @param {string} sql
 * @param {Record<string, string | number>} params
 * @param {boolean} [native]
 * @returns {{ query: string, query_params?: Record<string, string | number> }}
 */
export const bind = (sql, params, native = false) => {
  /** @type {Record<string, string | number>} */
  const used = {};
  const query = sql.replace(PLACEHOLDER, (_, name) => {
    if (!Object.hasOwn(params, name)) throw new Error(`bind: no value for {${name}}`);
    const v = params[name];
    if (!native) return literal(v);
    if (typeof v !== 'string' && !Number.isFinite(v)) throw new TypeError(`bind: refusing {${name}}`);
    used[name] = v;
    return `{${name}:${typeof v === 'string' ? 'String' : Number.isInteger(v) ? 'Int64' : 'Float64'}}`;
  });
  return native ? { query, query_params: used } : { query };
};
