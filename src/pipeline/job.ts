/** The types the steps share: one event on its way (`Job`) and the tracker state they read and move (`Core`). */
import type { JourneyEvent, Plugin, Props, Stage } from '../types';
import type { Log } from '../lib/log';
import type { Emitter } from '../lib/emitter';
import type { Prefs } from '../core/prefs';
import type { Session } from '../core/session';
import type { Delivery } from '../queue/queue';
import type { Arrival } from '../stages/arrival';

/** What enters the door (the `_`-named fields a caller sets), then what each step adds. */
export interface Job {
  _type: string;
  /** The props given. */
  _raw?: Props;
  /** The object `_raw` was copied from (track()), for cycle detection. */
  _original?: unknown;
  _arrival?: Arrival;
  /** The page attribute's stage: wins over everything. */
  _stage?: Stage;
  /** A URL rule's stage: a candidate like an event's. */
  _candidate?: Stage;
  // Set by the steps:
  _now: number;
  _props: Props;
  _cut?: boolean;
  _profile: Profile;
  /** The stage a new session opened in, when that changed it. */
  _opened?: Stage;
  /** The stage this event moved the visitor from, if it did. */
  _from?: Stage;
  _event?: JourneyEvent | null;
}

/** The visitor profile that carries the stage across pages and visits. */
export interface Profile {
  /** Last stage. */
  s?: Stage;
  /** Session of the latest purchase. */
  b?: string;
  /** A purchase happened in a session before `b`'s. */
  r?: 1;
  /** Recent transaction ids, so a reloaded thank-you page sends no second purchase. */
  tx?: string[];
}

/** The tracker's state, as the steps see it. */
export interface Core {
  _log: Log;
  _prefs: Prefs;
  _session: Session;
  _emitter: Emitter;
  _delivery: Delivery;
  /** Replaced, never mutated (copy on write): the plugins step walks it without a copy per event. */
  _plugins: Plugin[];
  _stage: Stage;
  _sid: string;
  _url: string;
  _referrer: string;
  _user?: string;
  _refused?: boolean;
  /** document.title, and what it was scrubbed to: scrubbed again only when the page changes it. */
  _rawTitle?: string;
  _title: string;
  /** While a recorded call is processed: its time (what happens in answer to it takes it too). */
  _time?: number;
  /** The door: the announce steps send `stage_change` through it. */
  _enter(job: Partial<Job>): JourneyEvent | null | void;
  /** Turns a failing plugin off. */
  _off(plugin: Plugin, e: unknown): void;
}

/** A step: returns true to end the event's path (it logged why). */
export type Step = (job: Job, core: Core) => unknown;
