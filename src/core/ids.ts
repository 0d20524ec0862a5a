/**
 * ULIDs: 48 bits of milliseconds then 80 random bits, in Crockford base-32 (26 characters), so ids sort by
 * time. Within one millisecond the random part is incremented instead of redrawn (the ULID spec's monotonic
 * mode), so events of one burst keep their order when a receiver sorts by id; that also means one
 * `getRandomValues` call per millisecond at most.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
let lastTime = -1;
/** The 16 random digits (5 bits each) of the last id. */
let last: number[] = [];

export const ulid = (time = Date.now()): string => {
  if (time == lastTime) {
    // Add one to the 80-bit random part, base 32, carrying leftwards.
    for (let i = 16; i-- && ++last[i] > 31; ) last[i] = 0;
  } else {
    // 16 digits of 5 bits = the 80 random bits (the top 3 bits of each byte are dropped).
    last = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b & 31);
    lastTime = time;
  }
  let id = '';
  // 10 characters of 5 bits each hold the 48-bit timestamp; division keeps it exact past 2^32.
  for (let j = 0, t = time; j < 10; j++, t = Math.floor(t / 32)) id = ALPHABET[t % 32] + id;
  for (let j = 0; j < 16; j++) id += ALPHABET[last[j]];
  return id;
};
