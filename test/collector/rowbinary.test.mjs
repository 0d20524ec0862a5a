// The RowBinary encoder of ClickHouse inserts: its bytes, and rows read back from a real server equal to
// those written (NULLs, unicode, strings past every length-prefix width).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRowBinary } from '../../examples/collector/lib/storage/rowbinary.js';
import { COLUMNS } from '../../examples/collector/lib/storage/schema.js';
import { clickhouse, id, tempStorage } from './helpers.mjs';

describe('RowBinary encoder', () => {
  it('writes each kind in column order: LEB128 lengths, little-endian Int64 and Float64, a NULL byte', () => {
    const encode = createRowBinary([
      ['id', 'id'],
      ['s', 'text'],
      ['t', 'ms'],
      ['n', 'num', true],
      ['b', 'bool'],
      ['k', 'int8'],
    ]);
    const long = 'é'.repeat(100); // 200 bytes: a two-byte length
    const buf = encode([
      { ulid: '01ARZ3NDEKTSV4RRFFQ69G5FAV', s: long, t: -1, n: null, b: true, k: 3 },
      { ulid: '01ARZ3NDEKTSV4RRFFQ69G5FAV', s: 'ab', t: 2 ** 40 + 5, n: 1.5, b: false, k: 0 },
    ]);
    const expected = Buffer.concat([
      Buffer.from('01ARZ3NDEKTSV4RRFFQ69G5FAV'),
      Buffer.from([0xc8, 0x01]),
      Buffer.from(long),
      Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
      Buffer.from([1, 1, 3]),
      Buffer.from('01ARZ3NDEKTSV4RRFFQ69G5FAV'),
      Buffer.from([2, 0x61, 0x62]),
      Buffer.from([5, 0, 0, 0, 0, 1, 0, 0]),
      Buffer.from([0]),
      Buffer.from(new Float64Array([1.5]).buffer),
      Buffer.from([0, 0]),
    ]);
    expect(buf.equals(expected)).toBe(true);
  });

  it('refuses a kind it cannot encode at creation, and a NULL in a column that takes none', () => {
    expect(() => createRowBinary([['x', 'uuid']])).toThrow(/column x of kind uuid/);
    expect(() => createRowBinary([['s', 'text']])([{ s: null }])).toThrow(/column s is not nullable/);
  });

  it('gives a block the same bytes as one encoding of all its rows, and keeps nothing of a batch it refuses', () => {
    const encode = createRowBinary([
      ['s', 'text'],
      ['n', 'num', true],
    ]);
    // Lengths on both sides of the byte-by-byte copy and of a one-byte length; ASCII and not.
    const texts = [0, 1, 31, 32, 33, 42, 43, 127, 128, 5000].flatMap((n) => ['a'.repeat(n), 'é'.repeat(n)]);
    const rows = texts.map((s, i) => ({ s, n: i % 3 ? i : null }));
    const block = encode.block();
    block.add(rows.slice(0, 7));
    const mid = block.size;
    expect(() =>
      block.add([
        { s: 'kept out', n: 1 },
        { s: null, n: 2 },
      ]),
    ).toThrow(/column s is not nullable/);
    expect(block.size).toBe(mid);
    block.add(rows.slice(7));
    expect(block.bytes(0, block.size).equals(encode(rows))).toBe(true);
    expect(block.bytes(mid, block.size).equals(encode(rows.slice(7)))).toBe(true);
  });

  it('grows its buffer past the first guess: one row far bigger than the rest', () => {
    const encode = createRowBinary([['s', 'text']]);
    const big = 'x'.repeat(300_000);
    const buf = encode([{ s: 'a' }, { s: big }]);
    expect(buf.length).toBe(2 + 3 + big.length);
    expect(buf.subarray(5).toString()).toBe(big);
  });
});

const ch = await clickhouse();
describe.skipIf(!ch)('RowBinary through ClickHouse', () => {
  let db;
  beforeAll(async () => {
    db = await tempStorage({ name: 'clickhouse', url: ch.url });
  });
  afterAll(() => db?.done());

  /** A full row as validate.js makes it; `over` replaces fields. */
  const row = (over = {}) => {
    const ulid = id();
    return {
      // Every nullable column, those appended later included, is NULL unless set below.
      ...Object.fromEntries(COLUMNS.filter(([, , nul]) => nul).map(([n]) => [n, null])),
      id: 0n,
      ulid,
      site: 'rb',
      time: Date.now() - 1000,
      received: Date.now(),
      type: 'page_view',
      visitor_id: 'v',
      session_id: 's',
      user_id: null,
      stage: 0,
      url: 'https://shop.example/',
      referrer: '',
      title: '',
      props: '{}',
      truncated: false,
      page_type: 'home',
      value: null,
      currency: null,
      txn: null,
      source: null,
      medium: null,
      campaign: null,
      ref: null,
      engaged_ms: null,
      score: null,
      vital: null,
      items: null,
      ...over,
    };
  };

  it('reads back every column as written: NULLs, unicode, empty, 127/128/16383/16384-byte and 1 MB strings', async () => {
    const text = COLUMNS.filter(([, k, nul]) => k === 'text' && nul).map(([n]) => n);
    const rows = [
      row(),
      // Every nullable text column set, with text of every width of length prefix.
      row(Object.fromEntries(text.map((n, i) => [n, ['a', 'x'.repeat(127), 'y'.repeat(128), 'é'.repeat(64)][i % 4]]))),
      row({ title: 'Grüße — 日本語 🛒', user_id: 'ü'.repeat(8192), url: `https://shop.example/${'p'.repeat(16_379)}` }),
      row({ props: JSON.stringify({ blob: 'z'.repeat(1_000_000) }), referrer: '\u0000\t\n\\\'"', truncated: true }),
      row({ value: -1234.5678, engaged_ms: 0, score: 10, stage: 4, time: 1, currency: 'EUR', vital: 'LCP' }),
      row({ value: Number.MAX_SAFE_INTEGER, time: 4_102_444_800_000, items: 'sku\tname\t1.5\t2\nsku2\t\t\t1' }),
    ];
    expect(await db.storage.insert(rows)).toBe(rows.length);
    const names = COLUMNS.map(([n]) => n);
    const back = await db.storage.query(`SELECT ${names.join(', ')} FROM events WHERE site = 'rb' ORDER BY id`);
    const expected = [...rows]
      .sort((a, b) => (a.ulid < b.ulid ? -1 : 1))
      .map((r) => Object.fromEntries(COLUMNS.map(([n, k]) => [n, k === 'id' ? r.ulid : k === 'bool' ? (r[n] ? 1 : 0) : r[n]])));
    expect(back).toEqual(expected);
  }, 60_000);
});
