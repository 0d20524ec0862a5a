import { beforeEach, describe, expect, it } from 'vitest';
import { createPrefs } from '../../../src/core/prefs';
import { createSession } from '../../../src/core/session';

const MIN = 60_000;

describe('createSession', () => {
  beforeEach(() => localStorage.clear());

  it('keeps one visitor id across instances (pages)', () => {
    const a = createSession(createPrefs(true), 30 * MIN).visitor();
    const b = createSession(createPrefs(true), 30 * MIN).visitor();
    expect(a).toHaveLength(26);
    expect(b).toBe(a);
  });

  it('keeps the session within the timeout and rolls it over just past it', () => {
    const s = createSession(createPrefs(true), 30 * MIN);
    const first = s.touch(1_000_000);
    expect(first.started).toEqual({ previous: undefined });
    expect(s.touch(1_000_000 + 29 * MIN).id).toBe(first.id);
    // activity at 29 min moved the clock: 30 min after it (minus 1 ms) is still the same session
    const same = s.touch(1_000_000 + 59 * MIN - 1);
    expect(same.id).toBe(first.id);
    expect(same.started).toBeUndefined();
    const next = s.touch(1_000_000 + 89 * MIN + 1);
    expect(next.id).not.toBe(first.id);
    expect(next.started).toEqual({ previous: first.id });
  });

  it('starts a new session when a visit arrives with a different campaign', () => {
    const s = createSession(createPrefs(true), 30 * MIN);
    const a = s.touch(1000, 'newsletter|email|nov');
    expect(s.touch(2000, 'newsletter|email|nov').id).toBe(a.id);
    expect(s.touch(3000).id).toBe(a.id);
    const b = s.touch(4000, 'google|cpc|shoes');
    expect(b.id).not.toBe(a.id);
    expect(b.started?.previous).toBe(a.id);
  });

  it('is shared by tabs (same storage)', () => {
    const tab1 = createSession(createPrefs(true), 30 * MIN);
    const tab2 = createSession(createPrefs(true), 30 * MIN);
    const a = tab1.touch(1000);
    expect(tab2.touch(2000).id).toBe(a.id);
  });
});
