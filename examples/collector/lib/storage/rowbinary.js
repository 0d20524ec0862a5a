// Rows as ClickHouse's RowBinary: each value in column order, little-endian, no names and no
// escaping. Encoding a block into one buffer costs the collector about a third of building an
// object per row and JSON-encoding it (JSONEachRow), and the server parses it for less.
// Every version we test reads it (18.16 included): Nullable(T) is a byte, 1 for NULL, else 0 and T;
// String a LEB128 length and the UTF-8 bytes; FixedString(N) exactly N bytes.

const TWO_32 = 2 ** 32;

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
     * ASCII text up to 4 kB (most values: ids, types, URLs, props) byte by byte: cheaper than a call into
     * Buffer#write. Anything else is written with room for its longest length (3 bytes a UTF-16
     * unit), then moved back when its length takes fewer bytes.
     * @param {string} s
     */
    string(s) {
      const len = s.length;
      if (len <= 4096) {
        const head = varintSize(len);
        room(head + len);
        const from = at + head;
        let i = 0;
        for (; i < len; i++) {
          const c = s.charCodeAt(i);
          if (c >= 0x80) break;
          buf[from + i] = c;
        }
        if (i === len) {
          varint(len);
          at += len;
          return;
        }
      }
      const most = len * 3;
      const head = varintSize(most);
      room(head + most);
      const n = buf.write(s, at + head, 'utf8');
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
  };
};

/** @typedef {ReturnType<typeof createSink>} Sink */

/**
 * How each portable kind of column (schema.js) goes into RowBinary, for the ClickHouse type clickhouse.js
 * gives it: a row's value, and its writer.
 * @type {Record<string, { value: (row: Record<string, any>, name: string) => unknown, write: (to: Sink, v: any) => void }>}
 */
const KINDS = {
  // FixedString(26): the ULID as its canonical text.
  id: { value: (r) => r.ulid, write: (to, v) => to.fixed(v, 26) },
  text: { value: (r, n) => r[n], write: (to, v) => to.string(v) },
  ms: { value: (r, n) => r[n], write: (to, v) => to.i64(v) },
  int8: { value: (r, n) => r[n], write: (to, v) => to.u8(v) },
  num: { value: (r, n) => r[n], write: (to, v) => to.f64(v) },
  bool: { value: (r, n) => r[n], write: (to, v) => to.u8(v ? 1 : 0) },
};

/**
 * An encoder of rows for these columns, in their order: one buffer a block, no object a row. A kind it
 * does not know fails here, at start, not at the first insert.
 * @param {ReadonlyArray<readonly [name: string, kind: string, nullable?: boolean]>} columns
 * @returns {(rows: ReadonlyArray<object>) => Buffer}
 */
export const createRowBinary = (columns) => {
  const plan = columns.map(([name, kind, nullable]) => {
    const k = KINDS[kind];
    if (!k) throw new Error(`RowBinary: no encoding for column ${name} of kind ${kind}`);
    return { name, value: k.value, write: k.write, nullable: Boolean(nullable) };
  });
  return (rows) => {
    // About 300 bytes a beacon's event; the buffer doubles when a block needs more.
    const to = createSink(Math.max(4096, rows.length * 512));
    for (const row of rows) {
      const r = /** @type {Record<string, any>} */ (row);
      for (const c of plan) {
        const v = c.value(r, c.name);
        if (c.nullable) {
          if (v == null) {
            to.u8(1);
            continue;
          }
          to.u8(0);
        } else if (v == null) throw new TypeError(`RowBinary: column ${c.name} is not nullable, got ${v}`);
        c.write(to, v);
      }
    }
    return to.done();
  };
};
