import { describe, expect, it, vi } from 'vitest';
import { ulid } from '../../../src/core/ids';

const CROCKFORD = /^[0-9A-HJKMNP-TV-Z]{26}$/;

describe('ulid', () => {
  it('is 26 Crockford base-32 characters', () => {
    for (let i = 0; i < 200; i++) expect(ulid()).toMatch(CROCKFORD);
  });

  it('encodes the time first, so ids sort by time', () => {
    const a = ulid(1763799999000);
    const b = ulid(1763799999001);
    const c = ulid(1763800000000);
    expect([c, a, b].sort()).toEqual([a, b, c]);
    expect(a.slice(0, 10)).not.toBe(b.slice(0, 10));
  });

  it('encodes a known timestamp exactly (48 bits, past 2^32)', () => {
    // 1763799999000 ms in base 32 with the Crockford alphabet
    let t = 1763799999000;
    let expected = '';
    const A = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    for (let i = 0; i < 10; i++) (expected = A[t % 32] + expected), (t = Math.floor(t / 32));
    expect(ulid(1763799999000).slice(0, 10)).toBe(expected);
    expect(ulid(0).slice(0, 10)).toBe('0000000000');
    expect(ulid(2 ** 48 - 1).slice(0, 10)).toBe('7ZZZZZZZZZ');
  });

  it('is unique across many ids in one millisecond (pool refills included)', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5000; i++) ids.add(ulid(1000));
    expect(ids.size).toBe(5000);
  });
});

describe('ulid within one millisecond', () => {
  it('increases, so a burst keeps its order when sorted by id', () => {
    const ids = Array.from({ length: 500 }, () => ulid(1763799999000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(500);
  });
});

describe('ulid carry into the cached head', () => {
  it('carries past the last four digits within one millisecond and stays sorted', () => {
    const spy = vi.spyOn(crypto, 'getRandomValues').mockImplementation(((a: Uint8Array) => {
      a.fill(0);
      a.fill(31, 12);
      return a;
    }) as any);
    const t = 1763800000123;
    const a = ulid(t);
    const b = ulid(t);
    spy.mockRestore();
    expect(a.slice(10)).toBe('000000000000ZZZZ');
    expect(b.slice(10)).toBe('0000000000010000');
    expect(b.slice(0, 10)).toBe(a.slice(0, 10));
    expect(b > a).toBe(true);
  });
});
