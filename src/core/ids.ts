/**
 * ULIDs: 48 bits of milliseconds then 80 random bits, in Crockford base-32 (26 characters), so ids sort by
 * time. Within one millisecond the random part is incremented instead of redrawn (the ULID spec's monotonic
 * mode), so events of one burst keep their order when a receiver sorts by id; that also means one
 * `getRandomValues` call per millisecond at most, which keeps `track()` cheap.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
let lastTime = -1;
let last: number[] = [];
// The first 22 characters (time and 12 random digits) as a string: only the last 4 digits change within a
// millisecond, so a burst builds 4 characters per id, not 26 (track() speed).
let head = '';

export const ulid = (time = Date.now()): string => {
  let i = 16;
  if (time == lastTime) {
    // Add one to the 80-bit random part, base 32, carrying leftwards.
    while (i-- && ++last[i] > 31) last[i] = 0;
  } else {
    // 16 digits of 5 bits = the 80 random bits (the top 3 bits of each byte are dropped).
    last = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b & 31);
    lastTime = time;
    i = -1;
  }
  if (i < 12) {
    head = '';
    // 10 characters of 5 bits each hold the 48-bit timestamp; division keeps it exact past 2^32.
    for (let j = 0, t = time; j < 10; j++, t = Math.floor(t / 32)) head = ALPHABET[t % 32] + head;
    for (let j = 0; j < 12; j++) head += ALPHABET[last[j]];
  }
  return head + ALPHABET[last[12]] + ALPHABET[last[13]] + ALPHABET[last[14]] + ALPHABET[last[15]];
};
