/**
 * The path of every event, top to bottom. `track()` (through `record`), `page()`, `ctx.track`, attribute events,
 * URL rules and the tracker's own events (`page_leave`, `stage_change`) all enter at `enter()`, so every check
 * and limit applies to each of them. A step that returns true ends the path (it logged why, under `debug`).
 */
import type { JourneyEvent } from '../types';
import type { Core, Job, Step } from './job';
import { clean } from './clean';
import { dedupe } from './dedupe';
import { session } from './session';
import { stage } from './stage';
import { stamp } from './stamp';
import { announceChange, announceOpened } from './announce';
import { plugins } from './plugins';
import { queue } from './queue';
import { listeners } from './listeners';

export const STEPS: Step[] = [
  clean, // consent refused? type and props made valid and bounded
  dedupe, // a purchase's transaction_id sent already?
  session, // session touch; a new one sets its opening stage and takes the arrival props
  stage, // the stage transition
  stamp, // the event: ids, time, stage, page, title
  announceOpened, // stage_change of a new session's opening, before this event
  plugins, // each plugin's beforeSend: may change or drop it
  queue, // into the durable queue
  listeners, // `event`, `page`, `leave` listeners
  announceChange, // stage_change this event caused, after it
];

/** Runs a job through the steps; returns the event as queued, if it was. */
export const run = (c: Core, j: Job): JourneyEvent | null | void => {
  // An index loop: no iterator per event.
  for (let i = 0; i < STEPS.length; i++) if (STEPS[i](j, c)) return;
  return j._event;
};
