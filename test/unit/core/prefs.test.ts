import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPrefs, grantedBefore } from '../../../src/core/prefs';

describe('createPrefs', () => {
  beforeEach(() => localStorage.clear());

  it('writes nothing while held, everything once persisted', () => {
    const prefs = createPrefs(false);
    prefs.set('visitor', 'V1');
    expect(prefs.get('visitor')).toBe('V1');
    expect(localStorage.length).toBe(0);
    prefs.persist();
    expect(localStorage.getItem('journey:visitor')).toBe('"V1"');
  });

  it('erases only its own keys', () => {
    localStorage.setItem('shop-cart', 'keep me');
    const prefs = createPrefs(true);
    prefs.set('visitor', 'V1');
    prefs.set('consent', 1);
    expect(grantedBefore()).toBe(true);
    prefs.erase();
    expect(prefs.get('visitor')).toBeUndefined();
    expect(localStorage.getItem('journey:visitor')).toBeNull();
    expect(localStorage.getItem('shop-cart')).toBe('keep me');
    expect(grantedBefore()).toBe(false);
  });

  it('keeps working in memory when storage throws on every call', () => {
    const spy = vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    const get = vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    const prefs = createPrefs(true);
    expect(() => prefs.set('visitor', 'V1')).not.toThrow();
    expect(prefs.get('visitor')).toBe('V1');
    expect(grantedBefore()).toBe(false);
    spy.mockRestore();
    get.mockRestore();
  });

  it('ignores corrupt stored JSON', () => {
    localStorage.setItem('journey:profile', '{not json');
    expect(createPrefs(true).get('profile')).toBeUndefined();
  });
});
