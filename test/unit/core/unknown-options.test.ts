import { afterEach, describe, expect, it, vi } from 'vitest';
import { optionNames, warnUnknownOptions } from '../../../src/core/unknown-options';
import type { TrackerOptions } from '../../../src/types';

// Every option, once: a key missing from TrackerOptions, or one it lacks, is a compile error here.
const ALL: Record<keyof TrackerOptions, unknown> = {
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
    expect(warnUnknownOptions(ALL as TrackerOptions)).toBe(0);
    expect(warn).not.toHaveBeenCalled();
  });

  it('knows exactly the keys of TrackerOptions (those readOptions validates, and debug)', () => {
    expect([...optionNames()].sort()).toEqual(Object.keys(ALL).sort());
  });
});
