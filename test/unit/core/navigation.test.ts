import { afterEach, describe, expect, it, vi } from 'vitest';
import { onNavigate } from '../../../src/core/navigation';

describe('onNavigate', () => {
  let off = () => {};
  afterEach(() => {
    off();
    history.replaceState(null, '', '/');
  });

  it('fires on pushState to a new path or query, not on a replaceState that keeps the URL', () => {
    const fn = vi.fn();
    off = onNavigate(fn);
    history.pushState(null, '', '/products/shirt');
    expect(fn).toHaveBeenCalledTimes(1);
    history.replaceState({ scroll: 120 }, '', '/products/shirt');
    history.replaceState({ scroll: 240 }, '');
    expect(fn).toHaveBeenCalledTimes(1);
    history.pushState(null, '', '/products/shirt?color=red');
    expect(fn).toHaveBeenCalledTimes(2);
    history.replaceState(null, '', '/cart');
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('ignores hash changes unless asked', () => {
    const fn = vi.fn();
    off = onNavigate(fn);
    history.pushState(null, '', '/#reviews');
    expect(fn).not.toHaveBeenCalled();
    off();
    off = onNavigate(fn, true);
    history.pushState(null, '', '/#details');
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('restores the original history methods on teardown', () => {
    const push = history.pushState;
    off = onNavigate(() => {});
    expect(history.pushState).not.toBe(push);
    off();
    expect(history.pushState).toBe(push);
  });

  it('a throwing callback never breaks the router', () => {
    off = onNavigate(() => {
      throw new Error('boom');
    });
    expect(() => history.pushState(null, '', '/x')).not.toThrow();
    expect(location.pathname).toBe('/x');
  });
});
