import type { Log } from '../lib/log';
import type { Props } from '../types';
import { TOO_DEEP, TRACK_FAILED } from '../lib/codes';

/** ms of recorded calls one deferred task processes before it yields (a long task is 50 ms). */
const SLICE = 8;
/** Calls made in answer to calls (a listener that tracks): generations kept before the chain is cut. */
const DEPTH = 8;
/** Entries per recorded call in the flat list (see `pending`). */
const FIELDS = 5;

/** Processes one recorded call: type, a copy of its props, its time, the props given. */
export type Process = (type: string, copy: unknown, time: number, given: unknown) => void;

/**
 * `track()` records the call and returns: the work (the pipeline) runs in a task of its own, so a shop's click
 * handler does not wait for it. Anything that reads or moves the tracker's state first calls `drain()`, which
 * processes what is recorded, in order.
 */
export const createRecorder = (process: Process, log: Log) => {
  /** Recorded calls, flat (FIELDS entries each, no object per call); processed up to `head`. */
  let pending: unknown[] = [];
  let head = 0;
  let draining: 1 | undefined;
  let later: ReturnType<typeof setTimeout> | undefined;
  /** The depth of the call being processed. */
  let depth = 0;

  /**
   * Processes recorded calls in order, and those recorded meanwhile (by listeners) after them. `slice`: a timer's
   * run, which yields after about SLICE ms and goes on in a new task; otherwise (the page is leaving, a flush, a
   * read of the stage) all of them now. Never throws.
   */
  const drain = (slice?: unknown) => {
    clearTimeout(later);
    later = undefined;
    if (draining) return;
    draining = 1;
    try {
      // Inside the try: a page may have replaced performance.now with something that throws.
      const until = slice ? performance.now() + SLICE : 0;
      while (head < pending.length) {
        const i = head;
        head += FIELDS;
        depth = pending[i + 4] as number;
        try {
          process(pending[i] as string, pending[i + 1], pending[i + 2] as number, pending[i + 3]);
        } catch (e) {
          log(TRACK_FAILED, pending[i], e);
        }
        // The clock is read every 32 calls: a read per call would cost more than it saves.
        if (until && head % (32 * FIELDS) == 0 && performance.now() > until) break;
      }
    } catch (e) {
      log(TRACK_FAILED, e);
    } finally {
      draining = undefined;
      // Processed entries are dropped once all are, or once there are many (a page that never stops tracking):
      // no copy of the rest per slice.
      if (head >= pending.length) (pending = []), (head = 0);
      else {
        if (head > 1e3 * FIELDS) (pending = pending.slice(head)), (head = 0);
        later = setTimeout(drain, 0, 1);
      }
    }
  };

  /** Records a call; drain() does the work in a task of its own. */
  const record = (type: string, props?: Props) => {
    // A listener that tracks in answer to every event it hears would never let the queue empty.
    const d = draining ? depth + 1 : 0;
    if (d > DEPTH) return log(TOO_DEEP, type);
    // A copy of the top level, so a page that reuses its props object for the next call does not change this
    // event. (Like cleanProps() later, it reads every key: Object.keys is all or nothing.)
    let copy = props;
    if (props && typeof props == 'object' && !Array.isArray(props))
      try {
        copy = { ...props };
      } catch {
        // A throwing getter or a hostile Proxy: cleanProps() reads what it can of the props given, later.
      }
    // The props given go along: a cycle back to them is a cycle, though the copy is another object.
    if (pending.push(type, copy, Date.now(), props, d) == FIELDS && !draining) later = setTimeout(drain, 0, 1);
  };

  return {
    record,
    drain,
    /** Whether calls wait to be processed (and none is being processed now). */
    waiting: () => head < pending.length && !draining,
  };
};

export type Recorder = ReturnType<typeof createRecorder>;
