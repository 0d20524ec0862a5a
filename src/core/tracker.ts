import type { JourneyEvent, Plugin, PluginContext, Props, Stage, Tracker, TrackerOptions } from '../types';
import { createLog, type Log } from './log';
import { guard, ignore, pluck } from './safe';
import { createEmitter } from './emitter';
import { readOptions, privacySignal } from './options';
import { createPrefs, grantedBefore } from './prefs';
import { createSession } from './session';
import { cleanProps, wasCut } from './clean';
import { fitType, MAX_ID } from '../../wire/event.js';
import { createUrlCleaner, scrubText } from './url';
import { ulid } from './ids';
import { createEngagedClock } from './engaged';
import { onNavigate } from './navigation';
import { listen, onHidden, whenActivated } from '../transport/lifecycle';
import { createDelivery } from '../queue/queue';
import { compileRules } from '../stages/rules';
import { classifySource, isExternal } from '../stages/source';
import { nextStage, sessionStage, stageOfEvent } from '../stages/stage';
import { readPageStage } from '../dom/attributes';
import { onActions } from '../dom/delegate';
import { onViews } from '../dom/visible';

/** The visitor profile that carries the stage across pages and visits. */
interface Profile {
  /** Last stage. */
  s?: Stage;
  /** Session of the latest purchase. */
  b?: string;
  /** A purchase happened in a session before `b`'s. */
  r?: 1;
  /** Recent transaction ids, so a reloaded thank-you page sends no second purchase. */
  tx?: string[];
}

const noop = () => {};
const PURCHASE = 'purchase';
const PROFILE = 'profile';
/** ms of tracked events one deferred task processes before it yields (a long task is 50 ms). */
const SLICE = 8;
/** Calls made in answer to calls (a listener that tracks): generations kept before the chain is cut. */
const DEPTH = 8;
/** Entries per recorded track() call in the flat pending list (see `pending`). */
const FIELDS = 5;

/** A tracker that does nothing: no endpoint, a privacy signal, a failed start, or no `window`. */
export const inert = (): Tracker => ({
  stage: 'awareness',
  track: noop,
  page: noop,
  identify: noop,
  consent: noop,
  on: () => noop,
  use: noop,
  flush: () => Promise.resolve(),
  destroy: noop,
});

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
    log('start failed:', e);
    return inert();
  }
};

const build = (options: TrackerOptions, log: Log): Tracker => {
  const config = readOptions(options, log);
  if (!config) return (console.warn('[journey] no endpoint: tracking is off'), inert());
  // Said even without debug: an owner testing in Brave (GPC on) would otherwise see an empty report and no reason.
  if (config.privacySignals && privacySignal()) return (console.info('[journey] off: GPC/DNT'), inert());
  // A grant remembered from an earlier page wins over `pending`; a refusal is never stored.
  let hold = config.consent == 'pending' && !grantedBefore();
  let refused: boolean | undefined;
  let userId: string | undefined;
  const prefs = createPrefs(!hold);
  const emitter = createEmitter(log);
  const session = createSession(prefs, config.sessionTimeout * 6e4);
  const cleanUrl = createUrlCleaner(config.stripParams);
  const matchRules = compileRules(config.rules, log);
  const delivery = createDelivery({ ...config, log, hold });
  const clock = createEngagedClock();
  // Replaced, never mutated (copy on write): emit() walks it without a copy per event.
  let plugins: Plugin[] = [];
  const teardowns: (() => void)[] = [];

  const profile = (): Profile => prefs.get<Profile>(PROFILE) || {};
  const save = (p: Profile) => prefs.set(PROFILE, p);
  let stage: Stage = profile().s || 'awareness';
  let sessionId = '';
  let pageUrl = '';
  /** This page view's page_leave, once made: leaving again queues the same event (same id), never a second one. */
  let left: JourneyEvent | null | void;
  let pageReferrer = cleanUrl(document.referrer);
  // document.title, and what it was scrubbed to: scrubbed again only when the page changes it.
  let rawTitle: string | undefined;
  let title = '';
  let started: 1 | undefined;
  /**
   * track() calls, flat: type, a copy of props, time, the props given, depth; processed up to `head`. track() only
   * records the call: the work (cleaning, session, stage, plugins, queue) runs in a task of its own, so a shop's
   * click handler does not wait for it. Anything that reads or moves the tracker's state first processes these,
   * in order.
   */
  let pending: unknown[] = [];
  let head = 0;
  let draining: 1 | undefined;
  let later: ReturnType<typeof setTimeout> | undefined;
  /** While a call is processed: its time (what happens in answer to it takes it too) and depth. */
  let callTime: number | undefined;
  let depth = 0;

  const retained = (p: Profile) => !!(p.r || (p.b && p.b != sessionId));

  /** Moves the stage; returns the one it left, if it changed. */
  const setStage = (to: Stage): Stage | undefined => {
    const from = stage;
    if (to != from) {
      const p = profile();
      save(((p.s = stage = to), p));
      return from;
    }
  };

  const changed = (from: Stage | undefined) => {
    if (from) {
      const change = { from, to: stage };
      emit('stage_change', change);
      emitter.emit('stage', change);
    }
  };

  /**
   * The one path every event takes: session, stage, plugins, then the queue. `arrival` (page views): the
   * campaign key, whether the visit comes from outside, and the attribution props of a session's first page view.
   * Returns the event as queued, if it was.
   */
  const emit = (
    type: string,
    raw?: Props,
    arrival?: [string | undefined, boolean, Props],
    forced?: Stage,
    candidate?: Stage,
    original?: unknown,
  ): JourneyEvent | null | void => {
    // Events tracked before this one go first.
    if (head < pending.length && !draining) drain();
    const now = callTime || Date.now();
    if (refused) return;
    // The collector's own rule (wire/event.js): whatever the door, no type it would refuse leaves here.
    const given = type;
    if ((type = fitType(type)) != given) log('type cut', type);
    const props = cleanProps(raw, original);
    // Read now: cleaning the attribution props below starts anew. Props the attributes cut on their way in count too.
    const cut = wasCut(raw);
    let p = profile();
    const tx = props.transaction_id;
    if (type == PURCHASE && tx != null) {
      if (p.tx?.includes('' + tx)) return log('purchase', tx, 'already sent');
      save(((p.tx = (p.tx || []).concat('' + tx).slice(-50)), p));
    }
    // Session first: a new one sets its opening stage (README, "Journey stages": buyers in retention, arrivals from outside in awareness) before this event moves it.
    const touch = session.touch(now, arrival?.[0]);
    sessionId = touch.id;
    let opened: Stage | undefined;
    if (touch.started) {
      opened = setStage(sessionStage(p.s, retained(p), !!arrival?.[1]));
      // A new visitor's first stage is not a change.
      if (!p.s) opened = undefined;
      if (arrival) Object.assign(props, cleanProps(arrival[2]));
      emitter.emit('session', { id: sessionId, previous: touch.started.previous });
    }
    // `p` is still right for retained(): only a purchase writes `b` and `r`, below.
    const from = setStage(forced || nextStage(stage, candidate || stageOfEvent(type, props), retained(p)));
    if (type == PURCHASE) {
      // Read again: setStage() may have stored a new profile (a new visitor's first), which `p` is not.
      p = profile();
      if (p.b && p.b != sessionId) p.r = 1;
      save(((p.b = sessionId), p));
    }
    const t = document.title;
    let event: JourneyEvent | null = {
      id: ulid(now),
      type,
      time: now,
      visitor_id: session.visitor(),
      session_id: sessionId,
      stage,
      url: pageUrl,
      referrer: pageReferrer,
      title: t == rawTitle ? title : ((rawTitle = t), (title = scrubText(t.slice(0, 300)))),
      props,
    };
    if (userId) event.user_id = userId;
    if (cut) event.truncated = true;
    changed(opened);
    // An index loop (no iterator per event) over this event's list: off() replaces `plugins`.
    const list = plugins;
    for (let i = 0; event && i < list.length; i++) {
      const plugin = list[i];
      try {
        const out: JourneyEvent | null | void = plugin.beforeSend?.(event);
        if (out === null) log(type, 'dropped by', plugin.name);
        // Anything but an event or null is a plugin bug: the event goes on unchanged.
        if (out === null || (out && (out as JourneyEvent).id)) event = out;
      } catch (e) {
        off(plugin, e);
      }
    }
    if (event) {
      delivery.push(event);
      // After the push, so events that listeners track in answer come after this one.
      emitter.emit('event', event);
      if (type == 'page_view') emitter.emit('page', event);
      if (type == 'page_leave') emitter.emit('leave', event);
    }
    changed(from);
    return event;
  };

  /**
   * Processes recorded track() calls in order, and those tracked meanwhile (by listeners) after them. `slice`: a
   * timer's run, which yields after about SLICE ms and goes on in a new task; otherwise (the page is leaving, a
   * flush, a read of the stage) all of them now. Never throws.
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
        const type = pending[i] as string;
        head += FIELDS;
        callTime = pending[i + 2] as number;
        depth = pending[i + 4] as number;
        try {
          emit(type, pending[i + 1] as Props, undefined, undefined, undefined, pending[i + 3]);
        } catch (e) {
          log('track', type, 'failed:', e);
        }
        // The clock is read every 32 calls: a read per call would cost more than it saves.
        if (until && head % (32 * FIELDS) == 0 && performance.now() > until) break;
      }
    } catch (e) {
      log('track:', e);
    } finally {
      callTime = undefined;
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

  /** Records the call; drain() does the work in a task of its own. */
  const track = (type: string, props?: Props) => {
    if (!type || typeof type != 'string') return log('track: no type');
    // A listener that tracks in answer to every event it hears would never let the queue empty.
    const d = draining ? depth + 1 : 0;
    if (d > DEPTH) return log('track: too deep', type);
    // A copy of the top level, so a page that reuses its props object for the next call does not change this
    // event. (Like cleanProps() before, it reads every key: Object.keys is all or nothing.)
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

  const off = (plugin: Plugin, e: unknown) => {
    log('plugin', plugin.name, 'off:', e);
    plugins = plugins.filter((p) => p != plugin);
  };

  const leave = () => {
    drain();
    if (left) return delivery.push(left);
    // The page's own page_leave, kept to queue again (a host may track a 'page_leave' of its own).
    if (pageUrl) left = emit('page_leave', { engaged_ms: clock.take() });
  };

  const pageView = (props?: Props) => {
    // Calls before this page view keep the page they were made on.
    drain();
    const url = new URL(location.href);
    pageUrl = cleanUrl(url.href);
    left = undefined;
    const match = matchRules(url);
    const a = classifySource(url, pageReferrer);
    const p = a.props;
    // The campaign key that starts a new session when it changes; '||' when untagged.
    const campaign = [p.utm_source, p.utm_medium, p.utm_campaign].join('|');
    // data-journey-stage wins for the page view (README, "Journey stages"); a URL rule's stage is a candidate like an event's.
    emit(
      'page_view',
      { ...props },
      [campaign != '||' ? campaign : undefined, isExternal(a.source), p],
      readPageStage(document, log),
      match.stage,
    );
    if (match.event) emit(match.event);
  };

  const use = (plugin: Plugin) => {
    // A plugin added now does not see (or change) events tracked before it.
    drain();
    const name = plugin?.name;
    if (typeof name != 'string' || plugins.some((p) => p.name == name)) return log('bad or second plugin', name);
    plugins = plugins.concat(plugin);
    const key = 'plugin:' + name;
    const ctx: PluginContext = {
      // Through track(), for its checks and its chain limit (a plugin tracking in answer to every event once made
      // 1,615 events of one page view), then processed at once; while a call is processed, right after it.
      track: (type, props) => (track(type, props), drain()),
      get stage() {
        drain();
        return stage;
      },
      get session() {
        drain();
        return sessionId;
      },
      on: (n, fn) => {
        const unsubscribe = emitter.on(n, fn);
        teardowns.push(unsubscribe);
        return unsubscribe;
      },
      listen: (target, type, fn) => teardowns.push(listen(target, type, guard(fn, log, name))) as unknown as void,
      state: <T>() => ({
        get: () => prefs.get<T>(key),
        set: (v: T | undefined) => prefs.set(key, v),
      }),
      log: (...args) => log(name + ':', ...args),
    };
    try {
      const teardown = plugin.setup?.(ctx);
      if (typeof teardown == 'function') teardowns.push(teardown);
    } catch (e) {
      off(plugin, e);
    }
  };

  const start = () => {
    if (started) return;
    started = 1;
    pluck(config.plugins, guard(use, log, 'use'));
    whenActivated(() => {
      pageView();
      const flush = () => (drain(), ignore(delivery.flush(true)));
      // The pagehide the first listener saw through to its end: the second has nothing left to do then.
      let handled: Event | undefined;
      const leaving = (e: Event) => handled != e && (leave(), flush(), (handled = e));
      teardowns.push(
        onActions(document, emit, log),
        onViews(document, emit, log),
        listen(document, 'visibilitychange', clock.update),
        onHidden(flush),
        // Twice on purpose. Firefox shuts a closed tab's content process down at once and aborts the script
        // running at that moment, uncatchably (dom.abort_script_on_child_shutdown): often this listener, before
        // its page_leave is queued. The abort hits one script, so the second listener finishes the job (and
        // does nothing when the first finished). A second function: the same one would be added only once.
        listen(window, 'pagehide', leaving),
        listen(window, 'pagehide', (e: Event) => leaving(e)),
        // A page restored from the back/forward cache is a new page view for the visitor.
        listen(window, 'pageshow', (e: PageTransitionEvent) => e.persisted && pageView()),
      );
      if (config.spa)
        teardowns.push(
          onNavigate(() => {
            leave();
            pageReferrer = pageUrl;
            pageView();
          }, config.hashChanges),
        );
    });
  };

  const api = {
    get stage() {
      // drain() never throws (each event is guarded): a getter is not wrapped like the methods.
      drain();
      return stage;
    },
    track,
    page: pageView,
    identify: (id: string | null) => {
      // Calls before this one keep the user_id they were made with.
      drain();
      userId = id == null ? undefined : '' + id;
      if (userId && userId.length > MAX_ID) (userId = userId.slice(0, MAX_ID)), log('user_id cut');
    },
    consent: (granted: boolean) => {
      drain();
      if (!granted) {
        hold = refused = true;
        prefs.erase();
        ignore(delivery.erase());
      } else if (((refused = false), hold)) {
        hold = false;
        prefs.persist();
        prefs.set('consent', 1);
        delivery.release();
      }
    },
    on: emitter.on,
    use,
    flush: () => (drain(), delivery.flush().catch(noop)),
    destroy: () => {
      drain();
      pluck(teardowns.splice(0), (t) => guard(t, log, 'teardown')());
      emitter.clear();
      delivery.destroy();
      refused = true;
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
