// Shared by the trust suite: generators of hostile values (fast-check) and the wire-format check that every
// event the pipeline hands to delivery must pass.
import fc from 'fast-check';
import { LIMIT, frame, item, room } from '../../../src/queue/batch';

export const STAGES = ['awareness', 'consideration', 'conversion', 'retention', 'advocacy'];
export const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
export const utf8 = (s: string) => new TextEncoder().encode(s).length;

// Built once: generating multi-megabyte values per case would make thousands of cases slow.
const MEGA = 'x'.repeat(3 * 2 ** 20);
const MEGA_EMOJI = '😀'.repeat(2 ** 19);
const LONE = '\uD800'.repeat(2 ** 16);
const HUGE_ARRAY = new Array(2e6).fill('item');
const SPARSE = [] as unknown[];
// Not 2^32-1: anything that walks every hole would hang the suite (the option test counts reads instead).
SPARSE.length = 1e6;
const TYPED = new Uint8Array(2e5);

/** An object whose every key's getter throws. */
const throwingGetters = () => {
  const o: Record<string, unknown> = {};
  for (const k of ['a', 'value', 'items', 'transaction_id', 'score'])
    Object.defineProperty(o, k, {
      enumerable: true,
      get: () => {
        throw new Error('getter ' + k);
      },
    });
  return o;
};

/** A Proxy that throws on every trap there is. */
export const throwingProxy = (target: object = {}) =>
  new Proxy(
    target,
    new Proxy(
      {},
      {
        get: (_t, trap) => () => {
          throw new Error('trap ' + String(trap));
        },
      },
    ),
  );

/** Shared references, not cycles: width^depth leaves from a tiny input (a DAG the cycle check does not see). */
export const dag = (width: number, depth: number, leaf: unknown): unknown => {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = new Array(width).fill(v);
  return { tree: v };
};

const circular = () => {
  const a: any = { name: 'a', list: [] };
  a.self = a;
  a.list.push(a, { parent: a });
  return a;
};

/**
 * Odd values are generated as recipes (`{ [ODD]: i }`) and built by `build()` inside the test: fast-check itself
 * probes every generated value (`in`, clone checks), which a throwing Proxy or getter would break.
 */
const ODD = '\u0000odd';
const ODDS: [string, () => unknown][] = [
  ['undefined', () => undefined],
  ['bigint', () => 2n ** 70n],
  ['symbol', () => Symbol('s')],
  ['arrow fn', () => () => 1],
  ['function', () => function named() {}],
  ['async fn', () => async () => 1],
  ['NaN', () => NaN],
  ['Infinity', () => Infinity],
  ['-Infinity', () => -Infinity],
  ['-0', () => -0],
  ['3 MB string', () => MEGA],
  ['2 MB emoji string', () => MEGA_EMOJI],
  ['lone surrogates', () => LONE],
  ['element', () => document.createElement('div')],
  ['text node', () => document.createTextNode('t')],
  ['document', () => document],
  ['window', () => window],
  ['Date', () => new Date()],
  ['invalid Date', () => new Date(NaN)],
  ['RegExp', () => /re/g],
  ['Map', () => new Map([[1, 2]])],
  ['Set', () => new Set([1])],
  ['Error', () => new Error('e')],
  ['Promise', () => Promise.resolve(1)],
  ['Event', () => new Event('click')],
  ['throwing getters', throwingGetters],
  ['throwing Proxy', () => throwingProxy()],
  ['throwing array Proxy', () => throwingProxy([])],
  ['circular', circular],
  [
    'throwing toJSON',
    () => ({
      toJSON: () => {
        throw new Error('toJSON');
      },
    }),
  ],
  [
    'throwing toString',
    () => ({
      toString: () => {
        throw new Error('toString');
      },
      valueOf: () => {
        throw new Error('valueOf');
      },
    }),
  ],
  ['null prototype', () => Object.create(null)],
  ['2e6 array', () => HUGE_ARRAY],
  ['sparse 1e6 array', () => SPARSE],
  ['typed array', () => TYPED],
  ['DAG 100x100 of 1000-char strings', () => dag(100, 2, 'y'.repeat(1000))],
  ['150 keys of 1000 chars', () => Object.fromEntries(Array.from({ length: 150 }, (_, i) => ['k' + i, 'v'.repeat(1000)]))],
];

export const oddLeaf: fc.Arbitrary<unknown> = fc.nat(ODDS.length - 1).map((i) => ({ [ODD]: i }));

/** Keys that turn into trouble when they become object keys again. */
const key = fc.oneof(
  { arbitrary: fc.string({ maxLength: 12 }), weight: 4 },
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toJSON',
    'hasOwnProperty',
    'transaction_id',
    'item_id',
    'items',
    'value',
    'score',
    'k'.repeat(5000),
  ),
);

/** Recipes of nested mixtures of odd values and ordinary JSON (strings of any code units included). */
export const hostile: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: fc.jsonValue(), weight: 3 },
    { arbitrary: fc.string({ unit: 'binary' }), weight: 1 },
    { arbitrary: fc.double(), weight: 1 },
    { arbitrary: oddLeaf, weight: 3 },
    fc.array(tie('v'), { maxLength: 6 }),
    fc.dictionary(key, tie('v'), { maxKeys: 8 }),
  ),
})).v;

/** Recipes of props as a page passes them: usually an object, sometimes anything at all. */
export const hostileProps: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.dictionary(key, hostile, { maxKeys: 10 }), weight: 6 },
  hostile,
);

/** The value a recipe stands for (a fresh one each call). */
export const build = (r: unknown): unknown => {
  if (Array.isArray(r)) return r.map(build);
  if (r && typeof r == 'object') {
    if (ODD in r) return ODDS[(r as any)[ODD]][1]();
    const o: Record<string, unknown> = {};
    // defineProperty keeps a generated `__proto__` an own key, as JSON.parse makes it.
    for (const k of Object.keys(r))
      Object.defineProperty(o, k, { value: build((r as any)[k]), enumerable: true, writable: true, configurable: true });
    return o;
  }
  return r;
};

/** A readable description of a recipe (odd values by name). */
export const describe = (r: unknown): string => {
  try {
    return JSON.stringify(r, (_k, v) => (v && typeof v == 'object' && ODD in v ? '<' + ODDS[v[ODD]][0] + '>' : v)).slice(0, 200);
  } catch {
    return typeof r;
  }
};

/** Is `v` made only of what JSON carries (plain objects, arrays, strings, finite numbers, booleans, null)? */
export const plainJson = (v: unknown, depth = 0): boolean => {
  if (depth > 50) return false;
  if (v === null || typeof v == 'string' || typeof v == 'boolean') return true;
  if (typeof v == 'number') return isFinite(v);
  if (Array.isArray(v)) return v.every((x) => plainJson(x, depth + 1));
  if (typeof v == 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return false;
    return Object.keys(v as object).every((k) => plainJson((v as any)[k], depth + 1));
  }
  return false;
};

/**
 * Problems of one event as the pipeline hands it to delivery; empty when it is valid wire format.
 * `maxBytes`: its serialisation must fit one batch on its own (README, "The wire format").
 */
export const wireProblems = (e: any, maxBytes = LIMIT): string[] => {
  const bad: string[] = [];
  if (!e || typeof e != 'object' || Array.isArray(e)) return ['not an object: ' + typeof e];
  let s: string | undefined;
  try {
    s = JSON.stringify(e);
  } catch (err) {
    return ['JSON.stringify threw: ' + err];
  }
  if (typeof s != 'string') return ['JSON.stringify gave ' + typeof s];
  if (JSON.stringify(JSON.parse(s)) !== s) bad.push('JSON does not round-trip');
  if (!plainJson(e)) bad.push('not plain JSON data');
  const n = utf8(s);
  if (n > maxBytes) bad.push(`serialised event is ${n} bytes > ${maxBytes}`);
  if (!ULID.test(e.id)) bad.push('id not a ULID');
  if (typeof e.type != 'string' || !e.type) bad.push('type');
  if (!Number.isInteger(e.time)) bad.push('time');
  for (const k of ['visitor_id', 'session_id']) if (typeof e[k] != 'string' || !e[k]) bad.push(k);
  if (!STAGES.includes(e.stage)) bad.push('stage ' + e.stage);
  for (const k of ['url', 'referrer', 'title']) if (typeof e[k] != 'string') bad.push(k);
  if (!e.props || typeof e.props != 'object' || Array.isArray(e.props)) bad.push('props');
  if ('user_id' in e && typeof e.user_id != 'string') bad.push('user_id');
  if ('truncated' in e && e.truncated !== true) bad.push('truncated');
  return bad;
};

/** Problems of the event as it goes on the wire: the transport's own serialisation, framed as a batch. */
export const batchProblems = (e: any, site = 'test'): string[] => {
  const x = item('1:' + e.id, e, room(site));
  if (!x) return ['transport could not serialise the event (it would be dropped)'];
  const body = frame(site, [x._s], 0);
  const bad: string[] = [];
  if (utf8(body) > LIMIT) bad.push(`batch body ${utf8(body)} bytes > ${LIMIT}`);
  let parsed: any;
  try {
    parsed = JSON.parse(body);
  } catch {
    return ['batch body is not JSON'];
  }
  if (parsed.v !== 1 || parsed.site !== site || !Number.isInteger(parsed.sent_at) || parsed.events.length !== 1)
    bad.push('batch frame');
  else bad.push(...wireProblems(parsed.events[0]).map((p) => 'on the wire: ' + p));
  return bad;
};

/** Counts of a fuzz run, printed at the end (the issue asks for them in the note). */
export interface Tally {
  tried: number;
  escaped: number;
  events: number;
  /** First few problems, with the input that caused them. */
  problems: string[];
  problemCount: number;
}

export const createTally = (): Tally => ({ tried: 0, escaped: 0, events: 0, problems: [], problemCount: 0 });

export const note = (t: Tally, what: string, input: unknown) => {
  t.problemCount++;
  if (t.problems.length < 5) t.problems.push(what + ' ← ' + describe(input));
};

export const report = (name: string, t: Tally) =>
  console.log(
    `[trust] ${name}: inputs tried ${t.tried}, exceptions escaped ${t.escaped}, events checked ${t.events}, problems ${t.problemCount}` +
      (t.problems.length ? '\n  ' + t.problems.join('\n  ') : ''),
  );
