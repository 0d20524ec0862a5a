import { describe, expect, it, vi } from 'vitest';
import { readOptions } from '../../../src/core/options';

describe('readOptions', () => {
  it('fills defaults', () => {
    const c = readOptions({ endpoint: '/collect' }, () => {})!;
    expect(c).toMatchObject({
      endpoint: '/collect',
      site: location.hostname,
      consent: 'granted',
      spa: true,
      hashChanges: false,
      sessionTimeout: 30,
      privacySignals: true,
    });
  });

  it('returns nothing without a usable endpoint', () => {
    for (const o of [undefined, null, {}, { endpoint: '' }, { endpoint: '  ' }, { endpoint: 42 }, 'x']) {
      expect(readOptions(o as any, () => {})).toBeUndefined();
    }
  });

  it('a wrong option is a debug message and its default, never a throw', () => {
    const log = vi.fn();
    const c = readOptions(
      {
        endpoint: '/c',
        site: 5,
        spa: 'no',
        consent: 'maybe',
        sessionTimeout: -1,
        rules: {},
        stripParams: [1],
        plugins: 'cart',
      } as any,
      log,
    )!;
    expect(c).toMatchObject({
      site: location.hostname,
      spa: true,
      consent: 'granted',
      sessionTimeout: 30,
      rules: [],
      stripParams: [],
      plugins: [],
    });
    expect(log).toHaveBeenCalledTimes(7);
  });

  it('reads the additions', () => {
    const c = readOptions(
      {
        endpoint: '/c',
        consent: 'pending',
        hashChanges: true,
        sessionTimeout: 10,
        stripParams: ['voucher'],
        privacySignals: false,
        maxQueue: 50,
      },
      () => {},
    )!;
    expect(c).toMatchObject({
      consent: 'pending',
      hashChanges: true,
      sessionTimeout: 10,
      stripParams: ['voucher'],
      privacySignals: false,
      maxQueue: 50,
    });
  });

  it('takes maxQueue only as a whole number from 1 to 2^31-1', () => {
    const q = (maxQueue: unknown) => readOptions({ endpoint: '/c', maxQueue } as any, () => {})!.maxQueue;
    expect([q(1), q(2 ** 31 - 1)]).toEqual([1, 2 ** 31 - 1]);
    for (const v of [0, 0.5, 5e-194, 1.5, 2 ** 31, -1, '5', NaN]) expect(q(v)).toBeUndefined();
  });
});
