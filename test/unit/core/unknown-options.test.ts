import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { OPTION_NAMES, warnUnknownOptions } from '../../../src/core/unknown-options';
import type { TrackerOptions } from '../../../src/types';

type Split<S extends string> = S extends `${infer A} ${infer B}` ? A | Split<B> : S;

// Plain-JavaScript users get no compile error for a misspelt option: debug mode names it and lists the options.
describe('warnUnknownOptions', () => {
  afterEach(() => vi.restoreAllMocks());

  it('names each unknown option and lists the known ones', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const n = warnUnknownOptions({ endpiont: '/collect', sesionTimeout: 10, debug: true } as unknown as TrackerOptions);
    expect(n).toBe(2);
    expect(warn.mock.calls.map((c) => c[1])).toEqual(['endpiont', 'sesionTimeout']);
    expect(warn.mock.calls[0][3]).toContain('endpoint');
    expect(warn.mock.calls[1][3]).toContain('sessionTimeout');
  });

  it('is quiet about every documented option', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const all = Object.fromEntries(OPTION_NAMES.split(' ').map((k) => [k, undefined]));
    expect(warnUnknownOptions(all as unknown as TrackerOptions)).toBe(0);
    expect(warn).not.toHaveBeenCalled();
  });

  it('lists exactly the keys of TrackerOptions', () => {
    expectTypeOf<Split<typeof OPTION_NAMES>>().toEqualTypeOf<keyof TrackerOptions>();
  });
});
