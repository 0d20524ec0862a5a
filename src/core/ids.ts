/**
 * ULIDs: 48 bits of milliseconds then 80 random bits, in Crockford base-32 (26 characters), so ids sort by
 * time. Random bytes are drawn in blocks: one `getRandomValues` call serves 64 ids, which keeps `track()` cheap.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const POOL = 1024;
let pool: Uint8Array | undefined;
let offset = POOL;

const random16 = (): Uint8Array => {
  if (offset >= POOL) {
    pool = new Uint8Array(POOL);
    try {
      crypto.getRandomValues(pool);
    } catch {
      // No Web Crypto (very old engines, odd sandboxes): ids stay unique enough for de-duplication.
      for (let i = 0; i < POOL; i++) pool[i] = (Math.random() * 256) | 0;
    }
    offset = 0;
  }
  return pool!.subarray(offset, (offset += 16));
};

export const ulid = (time = Date.now()): string => {
  let id = '';
  // 10 characters of 5 bits each hold the 48-bit timestamp; division keeps it exact past 2^32.
  for (let i = 0; i < 10; i++, time = Math.floor(time / 32)) id = ALPHABET[time % 32] + id;
  // 16 characters × 5 bits = the 80 random bits (the top 3 bits of each byte are dropped).
  for (const byte of random16()) id += ALPHABET[byte & 31];
  return id;
};
