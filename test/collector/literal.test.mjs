import { describe, expect, it } from 'vitest';
import { bind, literal } from '../../examples/collector/lib/storage/literal.js';
import { parseClickHouseUrl } from '../../examples/collector/lib/storage/clickhouse.js';
import { clickhouses, describeClickHouse } from './helpers.mjs';

// Strings that would end or bend a literal if escaping were wrong.
const HOSTILE = [
  "it's",
  "\\'; DROP TABLE events; --",
  'back\\slash\\',
  "\\\\'",
  'tab\tnew\nline\r',
  '\u0000nul\u001f\u007f',
  'ünï €😀',
  "' OR 1=1 OR '",
  '{site}',
  '',
];

describe('literal: the one place values become SQL', () => {
  it('accepts strings, finite numbers, bigints, booleans and null', () => {
    expect(literal("it's")).toBe("'it\\'s'");
    expect(literal('a\\b')).toBe("'a\\\\b'");
    expect(literal('\n')).toBe("'\\x0a'");
    expect(literal(42)).toBe('42');
    expect(literal(-1.5)).toBe('(-1.5)');
    expect(literal(2n ** 70n)).toBe('1180591620717411303424');
    expect(literal(true)).toBe('1');
    expect(literal(null)).toBe('NULL');
  });

  it.each([
    ['undefined', undefined],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['an object', { toString: () => "1'" }],
    ['an array', ["'"]],
    ['a symbol', Symbol('x')],
    ['a function', () => 1],
    ['a Date', new Date(0)],
  ])('refuses %s', (_, v) => expect(() => literal(v)).toThrow(TypeError));

  it('bind fills each placeholder, refuses a missing one, and leaves values out of the text when native', () => {
    expect(bind('SELECT {a} + {b}, {a}', { a: 1, b: "x'" }).query).toBe("SELECT 1 + 'x\\'', 1");
    expect(() => bind('SELECT {missing}', {})).toThrow('{missing}');
    const n = bind('WHERE site = {site} AND time >= {from} AND v > {v}', { site: "x'", from: 5, v: 0.5 }, true);
    expect(n.query).toBe('WHERE site = {site:String} AND time >= {from:Int64} AND v > {v:Float64}');
    expect(n.query_params).toEqual({ site: "x'", from: 5, v: 0.5 });
  });

  it('reads JOURNEY_DB URLs and refuses a database name that is not an identifier', () => {
    expect(parseClickHouseUrl('clickhouse://u:p%40ss@db.internal:9000/shop?dedupe=final')).toEqual({
      url: 'http://db.internal:9000',
      username: 'u',
      password: 'p@ss',
      database: 'shop',
      dedupe: 'final',
    });
    expect(parseClickHouseUrl('clickhouses://h').url).toBe('https://h:8443');
    expect(() => parseClickHouseUrl('clickhouse://h/x;DROP')).toThrow('database name');
  });
});

/** @param {import('./clickhouse-server.mjs').ClickHouseServer} ch */
const serverSuite = (ch) => {
  it('every hostile string reaches the server unchanged', async () => {
    for (const v of HOSTILE) {
      const r = await fetch(`${ch.url}/?default_format=JSON`, {
        method: 'POST',
        body: bind('SELECT {v} AS v, length({v}) AS n', { v }).query,
      });
      expect(r.status).toBe(200);
      const { data } = await r.json();
      expect(data[0].v).toBe(v);
      expect(Number(data[0].n)).toBe(Buffer.byteLength(v));
    }
  });
};

for (const server of await clickhouses()) describeClickHouse(server, 'literal on a real ClickHouse', serverSuite);
