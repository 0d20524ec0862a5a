/**
 * `createTracker`: the tracker as a composition. The event's path is `pipeline/pipeline.ts`; this file builds the
 * state it runs on, its door (`enter`), the deferred `track()` (`pipeline/record.ts`), pages, plugins and the
 * public methods.
 */
import type { Plugin, Tracker, TrackerOptions } from '../types';
import { MAX_ID } from '../../wire/event.js';
import { createLog, type Log } from '../lib/log';
import { PLUGIN_OFF, START_FAILED, USER_ID_CUT } from '../lib/codes';
import { guard, ignore, pluck } from '../lib/safe';
import { createEmitter } from '../lib/emitter';
import { readOptions, privacySignal } from '../core/options';
import { createPrefs, grantedBefore } from '../core/prefs';
import { createSession } from '../core/session';
import { createDelivery } from '../queue/queue';
import type { Core, Job } from '../pipeline/job';
import { run } from '../pipeline/pipeline';
import { createRecorder } from '../pipeline/record';
import { getProfile } from '../pipeline/profile';
import { createPages } from './pages';
import { createUse } from './use';
import { startPage } from './start';
import { inert, noop } from './inert';

export { inert };

/** Internal: lets the script tag apply queued consent/identify calls before the first page view. */
export interface StartableTracker extends Tracker {
  _start(): void;
}

export const createTracker = (options: TrackerOptions): Tracker => {
  let log = createLog();
  try {
    // Inside the try: `options` may be a Proxy or have a throwing `debug` getter.
    log = createLog(!!(options && (options as any).debug));
    return build(options, log);
  } catch (e) {
    log(START_FAILED, e);
    return inert();
  }
};

const build = (options: TrackerOptions, log: Log): Tracker => {
  const config = readOptions(options, log);
  if (!config) return (console.warn('[journey] no endpoint'), inert());
  // Said even without debug: an owner testing in Brave (GPC on) would otherwise see an empty report and no reason.
  if (config.privacySignals && privacySignal()) return (console.info('[journey] off: GPC/DNT'), inert());
  // A grant remembered from an earlier page wins over `pending`; a refusal is never stored.
  let hold = config.consent == 'pending' && !grantedBefore();
  const prefs = createPrefs(!hold);
  const teardowns: (() => void)[] = [];
  let started: 1 | undefined;

  /** The door every event enters: calls recorded before it are processed first. */
  const enter = (j: Partial<Job>) => {
    if (rec.waiting()) rec.drain();
    return run(c, j as Job);
  };
  const c: Core = {
    _log: log,
    _prefs: prefs,
    _session: createSession(prefs, config.sessionTimeout * 6e4),
    _emitter: createEmitter(log),
    _delivery: createDelivery({ ...config, log, hold }),
    _plugins: [],
    _stage: getProfile({ _prefs: prefs } as Core).s || 'awareness',
    _sid: '',
    _url: '',
    _referrer: '',
    _title: '',
    _enter: enter,
    _off: (plugin: Plugin, e: unknown) => {
      log(PLUGIN_OFF, plugin.name, e);
      c._plugins = c._plugins.filter((p) => p != plugin);
    },
  };
  const rec = createRecorder((type, copy, time, given) => {
    // What happens in answer to a recorded call takes its time too.
    c._time = time;
    try {
      enter({ _type: type, _raw: copy as Job['_raw'], _original: given });
    } finally {
      c._time = undefined;
    }
  }, log);
  const drain = rec.drain;
  const pages = createPages(c, config, enter, rec);
  const use = createUse(c, rec, teardowns);

  const start = () => {
    if (started) return;
    started = 1;
    pluck(config.plugins, guard(use, log, 'use'));
    startPage(
      config,
      pages,
      (type, props) => enter({ _type: type, _raw: props }),
      () => (drain(), ignore(c._delivery.flush(true))),
      teardowns,
      log,
    );
  };

  const api = {
    get stage() {
      // drain() never throws (each event is guarded): a getter is not wrapped like the methods.
      drain();
      return c._stage;
    },
    track: rec.record,
    page: pages.view,
    identify: (id: string | null) => {
      // Calls before this one keep the user_id they were made with.
      drain();
      let u = id == null ? undefined : '' + id;
      if (u && u.length > MAX_ID) (u = u.slice(0, MAX_ID)), log(USER_ID_CUT);
      c._user = u;
    },
    consent: (granted: boolean) => {
      drain();
      if (!granted) {
        hold = c._refused = true;
        prefs.erase();
        ignore(c._delivery.erase());
      } else if (((c._refused = false), hold)) {
        hold = false;
        prefs.persist();
        prefs.set('consent', 1);
        c._delivery.release();
      }
    },
    on: c._emitter.on,
    use,
    flush: () => (drain(), c._delivery.flush().catch(noop)),
    destroy: () => {
      drain();
      pluck(teardowns.splice(0), (t) => guard(t, log, 'teardown')());
      c._emitter.clear();
      c._delivery.destroy();
      c._refused = true;
    },
    _start: start,
  } as any;

  // Every public method contains its own errors: nothing reaches the page. (`_start` by its mangled name.)
  for (const key in api) if (key != 'stage' && key != 'flush') api[key] = guard(api[key], log, key);
  const on = api.on;
  api.on = (name: string, fn: () => void) => on(name, fn) || noop;
  if (!(options as any)._manual) start();
  return api;
};
