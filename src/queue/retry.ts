/**
 * The retry policy: what an answer means for the batch it answered, and how long to wait before trying again.
 * The send loop keeps the count of failed rounds; this file only decides.
 */

/** Delivered: the events leave the queue. */
export const ok = (st: number) => st > 199 && st < 300;

/**
 * Refused for good: a 4xx a retry will not change (the body is wrong, not the moment), so the batch is dropped
 * and counted. 408 (timeout) and 429 (too many requests) are about the moment, and 413 is split first.
 */
export const refused = (st: number) => st > 399 && st < 500 && st != 408 && st != 429;

/**
 * Wait before retry `n` (1, 2, …): 1 s doubling up to 5 min, with jitter (a random 50–100 % of it) so tabs
 * and visitors do not retry in step after an outage; a later Retry-After wins. At most an hour, which also
 * keeps it inside setTimeout's 2^31 ms range.
 */
export const backoff = (n: number, retryAfter: number): number =>
  Math.min(Math.max(Math.min(3e5, 500 * 2 ** n) * (0.5 + Math.random() / 2), retryAfter), 36e5);
