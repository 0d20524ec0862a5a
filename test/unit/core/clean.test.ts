import { describe, expect, it } from 'vitest';
import { cleanProps } from '../../../src/core/clean';

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
    const props = Object.defineProperty({ ok: 1 }, 'bad', { enumerable: true, get: () => { throw new Error('boom'); } });
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
});
