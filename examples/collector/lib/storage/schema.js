// The stored columns, in order: one list shared by every engine so their rows line up.
// `kind` names a portable type; each engine maps it to its own.
/** @type {ReadonlyArray<readonly [name: string, kind: 'id' | 'text' | 'ms' | 'int8' | 'num' | 'bool', nullable?: boolean]>} */
export const COLUMNS = [
  ['id', 'id'],
  ['site', 'text'],
  ['time', 'ms'],
  ['received', 'ms'],
  ['type', 'text'],
  ['visitor_id', 'text'],
  ['session_id', 'text'],
  ['user_id', 'text', true],
  ['stage', 'int8'],
  ['url', 'text'],
  ['page_type', 'text'],
  ['referrer', 'text'],
  ['title', 'text'],
  ['props', 'text'],
  ['truncated', 'bool'],
  ['value', 'num', true],
  ['currency', 'text', true],
  ['txn', 'text', true],
  ['source', 'text', true],
  ['medium', 'text', true],
  ['campaign', 'text', true],
  ['ref', 'text', true],
  ['engaged_ms', 'num', true],
  ['score', 'num', true],
  ['vital', 'text', true],
  // Added later: last, where an older table gets it (ALTER TABLE … ADD COLUMN) and the appender's order still holds.
  ['items', 'text', true],
  // Who the visitor is, derived once per request (collector README, "Visitors"); NULL on rows stored before.
  ['device', 'text', true],
  ['browser', 'text', true],
  ['os', 'text', true],
  ['country', 'text', true],
  // Page views only: the page's path (landing and exit pages) and the referring site's host (referrer domains).
  ['path', 'text', true],
  ['referrer_host', 'text', true],
];
