// Rows as ClickHouse's RowBinary: each value in column order, little-endian, no names and no
// escaping. Encoding a block into one buffer costs the collector about a third of building an
// object per row and JSON-encoding it (JSONEachRow), and the server parses it for less.
// Every version we test reads it (18.16 included): Nullable(T) is a byte, 1 for NULL, else 0 and T;
// String a LEB128 length and the UTF-8 bytes; FixedString(N) exactly N bytes.

const TWO_32 = 2 ** 32;
// Strings shorter than this are copied byte by byte (a one-byte length); longer ones by Buffer#write.
const SHORT = 32;

/** Bytes of `n` as LEB128. @param {number} n */
const varintSize = (n) => (n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5);

/**
 * A growing buffer and the writers of each type.
 * @param {number} size first size, in bytes
 */
const createSink = (size) => {
  let buf = Buffer.allocUnsafe(size);
  let at = 0;
  /** Room for `n` more bytes. @param {number} n */
  const room = (n) => {
    if (at + n <= buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(buf.length * 2, at + n));
    buf.copy(next, 0, 0, at);
    buf = next;
  };
  /** @param {number} n */
  const varint = (n) => {
    while (n >= 0x80) (buf[at++] = (n & 0x7f) | 0x80), (n >>>= 7);
    buf[at++] = n;
  };
  return {
    /** @param {number} v */
    u8(v) {
      room(1);
      buf[at++] = v;
    },
    /** A whole number of ms as Int64, without a BigInt: two 32-bit halves. @param {number} v */
    i64(v) {
      room(8);
      const hi = Math.floor(v / TWO_32);
      buf.writeUInt32LE(v - hi * TWO_32, at);
      buf.writeInt32LE(hi, at + 4);
      at += 8;
    },
    /** @param {number} v */
    f64(v) {
      room(8);
      at = buf.writeDoubleLE(v, at);
    },
    /**
     * Short ASCII text (ids, types, currencies) byte by byte: cheaper than a call into Buffer#write. Anything
     * longer or not ASCII by Buffer#write, with room for its longest length (3 bytes a UTF-16 unit), then moved
     * back when its length takes fewer bytes.
     * @param {string} s
     */
    string(s) {
      const len = s.length;
      if (len < SHORT) {
        room(1 + len);
        const from = at + 1;
        let i = 0;
        for (; i < len; i++) {
          const c = s.charCodeAt(i);
          if (c >= 0x80) break;
          buf[from + i] = c;
        }
        if (i === len) {
          buf[at] = len;
          at = from + len;
          return;
        }
      }
      const most = len * 3;
      const head = varintSize(most);
      room(head + most);
      const n = buf.write(s, at + head);
      const need = varintSize(n);
      if (need < head) buf.copyWithin(at + need, at + head, at + head + n);
      varint(n);
      at += n;
    },
    /** Exactly `width` bytes: the text's, then zeros (ClickHouse pads FixedString so too). @param {string} s @param {number} width */
    fixed(s, width) {
      room(width);
      const n = buf.write(s, at, width, 'utf8');
      if (n < width) buf.fill(0, at + n, at + width);
      at += width;
    },
    done: () => buf.subarray(0, at),
    get size() {
      return at;
    },
    /** Forget what was written from `n` on. @param {number} n */
    cut(n) {
      at = n;
    },
  };
};

/** @typedef {ReturnType<typeof createSink>} Sink */

/**
 * How each portable kind of column (schema.js) goes into RowBinary, for the ClickHouse type clickhouse.js
 * gives it: the expression reading a row's value (`r`, a column name given as a JSON string), and the call
 * writing it (`v`) to the sink (`to`).
 * @type {Record<string, { value: (name: string) => string, write: string }>}
 */
const KINDS = {
  // FixedString(26): the ULID as its canonical text.
  id: { value: () => 'r.ulid', write: 'to.fixed(v, 26)' },
  text: { value: (n) => `r[${n}]`, write: 'to.string(v)' },
  ms: { value: (n) => `r[${n}]`, write: 'to.i64(v)' },
  int8: { value: (n) => `r[${n}]`, write: 'to.u8(v)' },
  num: { value: (n) => `r[${n}]`, write: 'to.f64(v)' },
  bool: { value: (n) => `r[${n}]`, write: 'to.u8(v ? 1 : 0)' },
};

/** @param {string} name @param {unknown} v */
const notNull = (name, v) => new TypeError(`RowBinary: column ${name} is not nullable, got ${v}`);

/**
 * Rows already encoded for an insert, and how many they are.
 * @typedef {{ count: number, bytes: Buffer }} Encoded
 */

/**
 * A block gathered across requests: each batch's rows are encoded when it arrives, so only bytes wait for
 * the insert. Rows kept as objects until then outlived the young generation: with thousands of beacons
 * waiting, copying them took 40% of the collector's main thread in garbage collection.
 * @typedef {object} Block
 * @property {(rows: ReadonlyArray<object>) => void} add  encodes them after the rows before
 * @property {number} size  bytes so far
 * @property {(from: number, to: number) => Buffer} bytes  a range, not copied
 */

/**
 * An encoder of rows for these columns, in their order: one buffer a block, no object a row. A kind it
 * does not know fails here, at start, not at the first insert.
 * @param {ReadonlyArray<readonly [name: string, kind: string, nullable?: boolean]>} columns
 * @returns {((rows: ReadonlyArray<object>) => Buffer) & { block: () => Block }}
 */
export const createRowBinary = (columns) => {
  // One row's code, written out column by column: each value read by its own name (one shape of row, so V8
  // keeps each read fast) and written by a direct call. A loop over the columns calling each kind's function
  // through a table cost the collector twice as much.
  const code = columns.map(([name, kind, nullable]) => {
    const k = KINDS[kind];
    if (!k) throw new Error(`RowBinary: no encoding for column ${name} of kind ${kind}`);
    const n = JSON.stringify(name);
    const check = nullable
      ? `if (v == null) to.u8(1); else { to.u8(0); ${k.write}; }`
      : `if (v == null) throw notNull(${n}, v); ${k.write};`;
    return `v = ${k.value(n)}; ${check}`;
  });
  const row = /** @type {(to: Sink, r: Record<string, any>, notNull: (name: string, v: unknown) => Error) => void} */ (
    new Function('to', 'r', 'notNull', `let v;\n${code.join('\n')}`)
  );
  /** @param {Sink} to @param {ReadonlyArray<object>} rows */
  const put = (to, rows) => {
    for (let i = 0; i < rows.length; i++) row(to, /** @type {Record<string, any>} */ (rows[i]), notNull);
  };
  /** @param {ReadonlyArray<object>} rows */
  const encode = (rows) => {
    // About 300 bytes a beacon's event; the buffer doubles when a block needs more.
    const to = createSink(Math.max(4096, rows.length * 512));
    put(to, rows);
    return to.done();
  };
  return Object.assign(encode, {
    /** @returns {Block} */
    block: () => {
      const to = createSink(1 << 20);
      return {
        add(rows) {
          const at = to.size;
          // A row that cannot be encoded leaves nothing of its batch behind.
          try {
            put(to, rows);
          } catch (e) {
            to.cut(at);
            throw e;
          }
        },
        get size() {
          return to.size;
        },
        bytes: (from, end) => to.done().subarray(from, end),
      };
    },
  });
};
