import { afterEach, describe, expect, it, vi } from 'vitest';
import { locked } from '../../../src/queue/lock';
import { fakeLocks, offNavigator, onNavigator } from './harness';

afterEach(() => offNavigator('locks'));

describe('locked', () => {
  it('runs the round under the Web Lock named after the database, shared by every tab', async () => {
    const request = vi.fn((_name: string, fn: () => Promise<unknown>) => fn());
    onNavigator('locks', { request });
    const round = vi.fn(async () => {});
    await locked(round);
    expect(request).toHaveBeenCalledTimes(1);
    expect(request.mock.calls[0][0]).toBe('journey-tracker');
    expect(round).toHaveBeenCalledTimes(1);
  });

  it('never lets two rounds overlap while one holds the lock', async () => {
    onNavigator('locks', fakeLocks());
    let inside = 0;
    let most = 0;
    const round = async () => {
      most = Math.max(most, ++inside);
      await new Promise((r) => setTimeout(r, 5));
      inside--;
    };
    await Promise.all([locked(round), locked(round), locked(round)]);
    expect(most).toBe(1);
  });

  it('runs the round unlocked without Web Locks', async () => {
    const round = vi.fn(async () => {});
    await locked(round);
    expect(round).toHaveBeenCalledTimes(1);
  });

  it('runs the round unlocked, once, when the lock manager refuses (opaque origin)', async () => {
    onNavigator('locks', { request: () => Promise.reject(new DOMException('denied', 'SecurityError')) });
    const round = vi.fn(async () => {});
    await locked(round);
    expect(round).toHaveBeenCalledTimes(1);
  });

  it('does not run a round again that failed under the lock', async () => {
    onNavigator('locks', { request: (_n: string, fn: () => Promise<unknown>) => fn() });
    const round = vi.fn(async () => {
      throw new Error('round');
    });
    await locked(round);
    expect(round).toHaveBeenCalledTimes(1);
  });
});
