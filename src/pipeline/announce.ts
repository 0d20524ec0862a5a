import type { Core, Step } from './job';
import type { Stage } from '../types';

const changed = (c: Core, from: Stage | undefined) => {
  if (from) {
    const change = { from, to: c._stage };
    c._enter({ _type: 'stage_change', _raw: change });
    c._emitter.emit('stage', change);
  }
};

/** A new session's opening stage, announced before the event that opened it. */
export const announceOpened: Step = (j, c) => changed(c, j._opened);

/** This event's stage change, announced right after the event. */
export const announceChange: Step = (j, c) => changed(c, j._from);
