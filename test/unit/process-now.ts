import type { Tracker } from '../../src/types';

/**
 * track() only records the call and does its work in a task of its own. Tests of what that work does (cleaning,
 * stages, plugins, the queue) read the result right after the call: reading `stage` processes what is pending, as
 * it does for a page.
 */
export const processNow = <T extends Tracker>(t: T): T => {
  const track = t.track;
  t.track = (type, props) => {
    track(type, props);
    void t.stage;
  };
  return t;
};
