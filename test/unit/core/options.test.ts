import { describe, expect, it, vi } from 'vitest';
import { readOptions } from '../../../src/core/options';

describe('readOptions', () => {
  it('fills defaults', () => {
    const c = readOptions({ endpoint: '/collect' }, () => {})!;
    expect(c).toMatchObject({ endpoint: '/collect', site: location.hostname, consent: 'granted', spa: true, hashChanges: false, sessionTimeout: 30, privacySignals: true });
  });

  it('returns nothing without a usable endpoint', () => {
    for (const o of [undefined, null, {}, { endpoint: '' }, { endpoint: '  ' }, { endpoint: 42 }, 'x']) {
      expect(readOptions(o as any, () => {})).toBeUndefined();
    }
  });

  it('a wrong option is a debug message and its default, never a throw', () => {
    const log = vi.fn();
    const c = readOptions({ endpoint: '/c', site: 5, spa: 'no', consent: 'maybe', sessionTimeout: -1, rules: {}, stripParams: [1], plugins: 'cart' } as any, log)!;
    expect(c).toMatchObject({ site: location.hostname, spa: true, consent: 'granted', sessionTimeout: 30, rules: [], stripParams: [], plugins: [] });
    expect(log).toHaveBeenCalledTimes(7);
  });

  it('reads the additions', () => {
    const c = readOptions({ endpoint: '/c', consent: 'pending', hashChanges: true, sessionTimeout: 10, stripParams: ['voucher'], privacySignals: false, maxQueue: 50 }, () => {})!;
    expect(c).toMatchObject({ consent: 'pending', hashChanges: true, sessionTimeout: 10, stripParams: ['voucher'], privacySignals: false, maxQueue: 50 });
  });
});
