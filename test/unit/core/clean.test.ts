import { describe, expect, it } from 'vitest';
import { cleanProps, wasCut } from '../../../src/core/clean';

describe('cleanProps', () => {
  it('keeps plain JSON values as they are', () => {
    const props = { currency: 'EUR', value: 19.9, ok: true, none: null, items: [{ item_id: 'SKU-1', price: 19.9, quantity: 1 }] };
    expect(cleanProps(props)).toEqual(props);
  });

  it('drops cycles, functions, symbols and DOM nodes', () => {
    const a: any = { name: 'a' };
    a.self = a;
    a.list = [a, 1];
    const out = cleanProps({ a, fn: () => 1, sym: Symbol('x'), node: document.body, n: NaN, inf: Infinity });
    expect(out).toEqual({ a: { name: 'a', list: [1] } });
    expect(() => JSON.stringify(out)).not.toThrow();
  });

  it('turns BigInt into a string', () => {
    expect(cleanProps({ big: 12345678901234567890n })).toEqual({ big: '12345678901234567890' });
  });

  it('skips a getter that throws and keeps the rest', () => {
    const props = Object.defineProperty({ ok: 1 }, 'bad', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    expect(cleanProps(props)).toEqual({ ok: 1 });
  });

  it('cuts long strings, wide objects and deep nesting', () => {
    const wide: Record<string, number> = {};
    for (let i = 0; i < 500; i++) wide['k' + i] = i;
    let deep: any = { leaf: 1 };
    for (let i = 0; i < 50; i++) deep = { deep };
    const out = cleanProps({ s: 'x'.repeat(5_000_000), wide, deep, arr: new Array(10_000).fill(1) }) as any;
    expect(out.s.length).toBe(1000);
    expect(Object.keys(out.wide).length).toBe(100);
    expect(out.arr.length).toBe(100);
    expect(JSON.stringify(out).length).toBeLessThan(10_000);
  });

  it('never lets prototype-polluting keys through', () => {
    const hostile = JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"ok":1}');
    const out = cleanProps(hostile);
    expect(out).toEqual({ ok: 1 });
    expect(({} as any).polluted).toBeUndefined();
  });

  it('returns an empty object for non-objects', () => {
    for (const v of [undefined, null, 1, 'x', [1, 2], () => 1]) expect(cleanProps(v)).toEqual({});
  });

  it('shares one budget: a tree of shared `true`s is bounded too, and wasCut() says something was left out', () => {
    // 100^4 booleans from a few hundred bytes of input: each costs, so the walk stops early.
    let tree: unknown = Array(100).fill(true);
    for (let i = 0; i < 3; i++) tree = Array(100).fill(tree);
    const out = cleanProps({ tree });
    expect(JSON.stringify(out).length).toBeLessThan(48e3);
    expect(wasCut()).toBe(true);
    cleanProps({ a: 'x'.repeat(1000), b: [1, 2, 3] });
    expect(wasCut()).toBe(false);
  });

  it('stops at the budget just past it, not before', () => {
    // 15 strings of 1000 fit in 16,000; the 17th cannot.
    const wide = Object.fromEntries(Array.from({ length: 20 }, (_, i) => ['k' + i, 'y'.repeat(1000)]));
    const n = Object.keys(cleanProps(wide)).length;
    expect(wasCut()).toBe(true);
    expect(n).toBeGreaterThanOrEqual(15);
    expect(n).toBeLessThan(17);
  });

  it('scrubs keys and values but never commerce ids', () => {
    const out = cleanProps({
      note: 'mail jane@example.com',
      'jane@example.com': 1,
      item_id: 'a@b.co',
      nested: { transaction_id: '4111111111111111' },
    });
    expect(out).toEqual({
      note: 'mail [email]',
      '[email]': 1,
      item_id: 'a@b.co',
      nested: { transaction_id: '4111111111111111' },
    });
  });
});
