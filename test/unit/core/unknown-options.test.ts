import { afterEach, describe, expect, it, vi } from 'vitest';
import { warnUnknownOptions } from '../../../src/core/unknown-options';

// Plain-JavaScript users get no compile error for a misspelt option: debug mode names it and its close match.
describe('warnUnknownOptions', () => {
  afterEach(() => vi.restoreAllMocks());

  it('names each unknown option and suggests the close match', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const n = warnUnknownOptions({ endpiont: '/collect', sesionTimeout: 10, colour: 'red', debug: true });
    expect(n).toBe(3);
    expect(warn.mock.calls).toEqual([
      ['[journey] unknown option', 'endpiont', 'ignored: did you mean endpoint?'],
      ['[journey] unknown option', 'sesionTimeout', 'ignored: did you mean sessionTimeout?'],
      ['[journey] unknown option', 'colour', 'ignored'],
    ]);
  });

  it('is quiet about every documented option', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const all = {
      endpoint: '/c',
      site: 's',
      rules: [],
      plugins: [],
      consent: 'granted',
      spa: true,
      hashChanges: false,
      debug: true,
      sessionTimeout: 30,
      stripParams: [],
      privacySignals: true,
      maxQueue: 10,
    };
    expect(warnUnknownOptions(all)).toBe(0);
    expect(warn).not.toHaveBeenCalled();
  });
});
