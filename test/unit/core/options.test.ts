import { describe, expect, it, vi } from 'vitest';
import { readOptions } from '../../../src/core/options';

describe('readOptions', () => {
  it('fills defaults', () => {
    const c = readOptions({ endpoint: '/collect' }, () => {})!;
    expect(c).toMatchObject({ endpoint: '/collect', site: location.hostname, pending: false, spa: true, hash: false, timeout: 30 * 60000, signals: true });
  });

  it('returns nothing without a usable endpoint', () => {
    for (const o of [undefined, null, {}, { endpoint: '' }, { endpoint: '  ' }, { endpoint: 42 }, 'x']) {
      expect(readOptions(o as any, () => {})).toBeUndefined();
    }
  });

  it('a wrong option is a debug message and its default, never a throw', () => {
    const log = vi.fn();
    const c = readOptions({ endpoint: '/c', site: 5, spa: 'no', consent: 'maybe', sessionTimeout: -1, rules: {}, stripParams: [1], plugins: 'cart' } as any, log)!;
    expect(c).toMatchObject({ site: location.hostname, spa: true, pending: false, timeout: 30 * 60000, rules: [], strip: [], plugins: [] });
    expect(log).toHaveBeenCalledTimes(7);
  });

  it('reads the additions', () => {
    const c = readOptions({ endpoint: '/c', consent: 'pending', hashChanges: true, sessionTimeout: 10, stripParams: ['voucher'], privacySignals: false, maxQueue: 50 }, () => {})!;
    expect(c).toMatchObject({ pending: true, hash: true, timeout: 600000, strip: ['voucher'], signals: false, maxQueue: 50 });
  });
});
