import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rescue, take } from '../../../src/queue/rescue';
import { ev } from './harness';
import { RESCUE_FAILED } from '../../../src/lib/codes';

const KEY = 'journey:rescue';
const ids = (l: { id: string }[]) => l.map((e) => e.id);
const stored = () => JSON.parse(localStorage.getItem(KEY) || '[]');

beforeEach(() => localStorage.clear());
afterEach(() => vi.restoreAllMocks());

describe('rescue', () => {
  it('copies the events to localStorage at once, after what other tabs left there, once per id', () => {
    const other = ev();
    const mine = [ev(), ev()];
    localStorage.setItem(KEY, JSON.stringify([other, mine[0]]));
    rescue(
      mine.map((e) => ['1:' + e.id, e]),
      () => {},
    );
    expect(ids(stored())).toEqual([other.id, mine[0].id, mine[1].id]);
  });

  it('keeps the newest under 64 KiB', () => {
    const list = Array.from({ length: 100 }, () => ev({ note: 'x'.repeat(1000) }));
    rescue(
      list.map((e) => ['1:' + e.id, e]),
      () => {},
    );
    const raw = localStorage.getItem(KEY)!;
    expect(raw.length).toBeLessThanOrEqual(65_536);
    expect(ids(stored()).at(-1)).toBe(list[99].id);
    expect(ids(stored())).not.toContain(list[0].id);
  });

  it('leaves what is there when the write fails, and logs instead of throwing', () => {
    const other = ev();
    localStorage.setItem(KEY, JSON.stringify([other]));
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('quota', 'QuotaExceededError');
    });
    const log = vi.fn();
    expect(() => rescue([['1:x', ev()]], log)).not.toThrow();
    expect(log).toHaveBeenCalledWith(RESCUE_FAILED, expect.any(DOMException));
    expect(ids(stored())).toEqual([other.id]);
  });
});

describe('take', () => {
  it('hands back what was rescued and removes the key', () => {
    const list = [ev(), ev()];
    localStorage.setItem(KEY, JSON.stringify(list));
    expect(ids(take())).toEqual(ids(list));
    expect(localStorage.getItem(KEY)).toBeNull();
    expect(take()).toEqual([]);
  });

  it('removes a broken key too (then throws, for the caller to catch)', () => {
    localStorage.setItem(KEY, '[{');
    expect(() => take()).toThrow();
    expect(localStorage.getItem(KEY)).toBeNull();
  });
});
