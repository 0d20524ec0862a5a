import type { Step } from './job';

/** `event`, `page` and `leave` listeners: after the queue, so events they track in answer come after this one. */
export const listeners: Step = (j, c) => {
  const e = j._event;
  if (e) {
    c._emitter.emit('event', e);
    if (j._type == 'page_view') c._emitter.emit('page', e);
    if (j._type == 'page_leave') c._emitter.emit('leave', e);
  }
};
