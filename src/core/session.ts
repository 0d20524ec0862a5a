import { ulid } from './ids';
import type { Prefs } from './prefs';

/**
 * Visitor and session ids. A session ends after `timeout` ms without an event, or when a visit arrives with a
 * different campaign (utm_source/medium/campaign). Kept in prefs, so tabs of one shop share it.
 */
interface Stored {
  id: string;
  /** Last activity, epoch ms. */
  t: number;
  /** Campaign key of the arrival, if tagged. */
  c?: string;
}

export interface SessionTouch {
  id: string;
  /** Set when this touch started a session; `previous` is the ended one, if any. */
  started?: { previous?: string };
}

// Writing the activity time on every event would cost a storage write per `track()`: a coarse clock is enough
// for a 30-minute timeout.
const WRITE_EVERY = 5000;

export const createSession = (prefs: Prefs, timeout: number) => {
  const visitor = (): string => {
    let id = prefs.get<string>('visitor');
    if (typeof id != 'string') prefs.set('visitor', (id = ulid()));
    return id;
  };

  return {
    visitor,
    /** Record activity at `now`; `campaign` is given on arrivals (page views) that carry utm tags. */
    touch(now: number, campaign?: string): SessionTouch {
      const s = prefs.get<Stored>('session');
      if (s && s.id && now - s.t < timeout && (!campaign || campaign == s.c)) {
        if (now - s.t > WRITE_EVERY) prefs.set('session', { ...s, t: now });
        return { id: s.id };
      }
      const next: Stored = { id: ulid(now), t: now, c: campaign };
      prefs.set('session', next);
      return { id: next.id, started: { previous: s && s.id } };
    },
  };
};

export type Session = ReturnType<typeof createSession>;
