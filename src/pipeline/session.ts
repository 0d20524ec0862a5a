import { cleanProps } from '../core/clean';
import { sessionStage } from '../stages/stage';
import { retained, setStage } from './profile';
import type { Step } from './job';

/**
 * Session first: a new one sets its opening stage (README, "Journey stages": buyers in retention, arrivals from
 * outside in awareness) before this event moves it, and its first page view carries the arrival's props.
 */
export const session: Step = (j, c) => {
  const a = j._arrival;
  const p = j._profile;
  const touch = c._session.touch(j._now, a?._campaign);
  c._sid = touch.id;
  if (touch.started) {
    const opened = setStage(c, sessionStage(p.s, retained(c, p), !!a?._external));
    // A new visitor's first stage is not a change.
    if (p.s) j._opened = opened;
    if (a) Object.assign(j._props, cleanProps(a._props));
    c._emitter.emit('session', { id: c._sid, previous: touch.started.previous });
  }
};
