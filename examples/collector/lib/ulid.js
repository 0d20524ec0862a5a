// Crockford base-32, as ULIDs use it. Lower case is accepted: ids are case-insensitive.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 32; i++) {
  VALUE[ALPHABET.charCodeAt(i)] = i;
  VALUE[ALPHABET.toLowerCase().charCodeAt(i)] = i;
}

/** @param {string} s @param {number} from @param {number} to @returns {number} -1 when a character is not base-32 */
const chunk = (s, from, to) => {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? VALUE[c] : -1;
    if (v < 0) return -1;
    n = n * 32 + v;
  }
  return n;
};

/**
 * A ULID as its 128-bit integer, the compact key the database stores (16 bytes instead of 26 characters).
 * Decoded in three chunks of at most 50 bits so each stays exact in a double; only the last step uses BigInt.
 * @param {unknown} s
 * @returns {bigint | undefined} undefined when `s` is not a ULID
 */
export const ulidToBigInt = (s) => {
  // 26 characters carry 130 bits: the first must be 0-7 for the value to fit in 128.
  if (typeof s !== 'string' || s.length !== 26 || s.charCodeAt(0) > 55) return undefined;
  const hi = chunk(s, 0, 10);
  const mid = chunk(s, 10, 18);
  const lo = chunk(s, 18, 26);
  if (hi < 0 || mid < 0 || lo < 0) return undefined;
  return (BigInt(hi) << 80n) | (BigInt(mid) << 40n) | BigInt(lo);
};

/** @param {bigint} n @returns {string} the ULID text of a stored key */
export const bigIntToUlid = (n) => {
  let s = '';
  for (let i = 0; i < 26; i++) {
    s = ALPHABET[Number(n & 31n)] + s;
    n >>= 5n;
  }
  return s;
};
