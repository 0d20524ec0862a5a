import type { JourneyEvent } from '../types';
import type { Step } from './job';
import { DROPPED_BY } from '../lib/codes';

/** Each plugin's `beforeSend`, in order: an event (changed or not) goes on, `null` drops it. */
export const plugins: Step = (j, c) => {
  // An index loop (no iterator per event) over this event's list: off() replaces `_plugins`.
  const list = c._plugins;
  for (let i = 0; j._event && i < list.length; i++) {
    const plugin = list[i];
    try {
      const out: JourneyEvent | null | void = plugin.beforeSend?.(j._event);
      if (out === null) c._log(DROPPED_BY, j._type, plugin.name);
      // Anything but an event or null is a plugin bug: the event goes on unchanged.
      if (out === null || (out && (out as JourneyEvent).id)) j._event = out;
    } catch (e) {
      c._off(plugin, e);
    }
  }
};
