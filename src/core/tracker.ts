import type { JourneyEvent, Plugin, PluginContext, Props, Stage, Tracker, TrackerOptions } from '../types';
import { createLog } from './log';
import { guard, ignore } from './safe';
import { createEmitter } from './emitter';
import { readOptions, privacySignal } from './options';
import { createPrefs, grantedBefore } from './prefs';
import { createSession } from './session';
import { cleanProps } from './clean';
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
const TX_KEPT = 50;

const inert = (): Tracker => ({
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
  const log = createLog(!!(options && (options as any).debug));
  try {
    return build(options, log);
  } catch (e) {
    log('start failed:', e);
    return inert();
  }
};

const build = (options: TrackerOptions, log: ReturnType<typeof createLog>): Tracker => {
  const config = readOptions(options, log);
  if (!config) {
    console.warn('[journey] no endpoint: tracking is off');
    return inert();
  }
  if (config.signals && privacySignal()) {
    log('privacy signal set: tracking is off');
    return inert();
  }
  // A grant remembered from an earlier page wins over `pending`; a refusal is never stored.
  let held = config.pending && !grantedBefore();
  let refused = false;
  let userId: string | undefined;
  const prefs = createPrefs(!held);
  const emitter = createEmitter(log);
  const session = createSession(prefs, config.timeout);
  const cleanUrl = createUrlCleaner(config.strip);
  const matchRules = compileRules(config.rules, log);
  const delivery = createDelivery({ endpoint: config.endpoint, site: config.site, log, hold: held, maxQueue: config.maxQueue });
  const clock = createEngagedClock();
  const plugins: Plugin[] = [];
  const teardowns: (() => void)[] = [];

  const profile = (): Profile => prefs.get<Profile>('profile') || {};
  const saveProfile = (p: Profile) => prefs.set('profile', p);
  let stage: Stage = profile().s || 'awareness';
  let sessionId = '';
  let pageUrl = '';
  let pageReferrer = document.referrer;
  let started = false;

  const retained = (p: Profile) => !!(p.r || (p.b && p.b != sessionId));

  const setStage = (to: Stage): Stage | undefined => {
    const from = stage;
    if (to == from) return;
    stage = to;
    const p = profile();
    p.s = to;
    saveProfile(p);
    return from;
  };

  const changed = (from: Stage | undefined) => {
    if (!from) return;
    const change = { from, to: stage };
    emit('stage_change', change);
    emitter.emit('stage', change);
  };

  interface Arrival {
    campaign?: string;
    external: boolean;
    /** Attribution props (utm_*, ref, source): carried by a session's first page view only. */
    props: Props;
  }

  /** The one path every event takes: session, stage, plugins, then the queue. */
  const emit = (type: string, raw?: Props, arrival?: Arrival, forced?: Stage, candidate?: Stage): void => {
    if (refused) return;
    const now = Date.now();
    const props = cleanProps(raw);
    let p = profile();
    if (type == 'purchase' && props.transaction_id != null) {
      const tx = String(props.transaction_id);
      if ((p.tx || []).includes(tx)) return log('purchase', tx, 'already sent');
      p.tx = (p.tx || []).concat(tx).slice(-TX_KEPT);
      saveProfile(p);
    }
    // Session first: a new one sets its opening stage (contract §5 rules 3 and 5) before this event moves it.
    const touch = session.touch(now, arrival && arrival.campaign);
    sessionId = touch.id;
    let opened: Stage | undefined;
    if (touch.started) {
      opened = setStage(sessionStage(p.s, retained(p), !!arrival && arrival.external));
      // A new visitor's first stage is not a change.
      if (!p.s) opened = undefined;
      if (arrival) Object.assign(props, arrival.props);
      emitter.emit('session', { id: sessionId, previous: touch.started.previous });
    }
    p = profile();
    const from = setStage(forced || nextStage(stage, candidate || stageOfEvent(type, props), retained(p)));
    if (type == 'purchase') {
      if (p.b && p.b != sessionId) p.r = 1;
      p.b = sessionId;
      saveProfile(p);
    }
    let event: JourneyEvent | null = {
      id: ulid(now),
      type,
      time: now,
      visitor_id: session.visitor(),
      session_id: sessionId,
      stage,
      url: pageUrl,
      referrer: pageReferrer,
      title: scrubText(document.title.slice(0, 300)),
      props,
    };
    if (userId) event.user_id = userId;
    changed(opened);
    for (const plugin of plugins.slice()) {
      if (!plugin.beforeSend || !event) continue;
      try {
        const out = plugin.beforeSend(event);
        if (out === null) log(type, 'dropped by', plugin.name);
        if (out !== undefined) event = out;
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
  };

  const off = (plugin: Plugin, e: unknown) => {
    log('plugin', plugin.name, 'switched off:', e);
    const i = plugins.indexOf(plugin);
    if (i >= 0) plugins.splice(i, 1);
  };

  const leave = () => {
    if (!pageUrl) return;
    emit('page_leave', { engaged_ms: clock.take() });
  };

  const pageView = (props?: Props) => {
    const url = new URL(location.href);
    pageUrl = cleanUrl(url.href);
    const match = matchRules(url);
    const attribution = classifySource(url, pageReferrer);
    const a = attribution.props as Record<string, string | undefined>;
    const campaign = a.utm_source || a.utm_medium || a.utm_campaign ? [a.utm_source, a.utm_medium, a.utm_campaign].join('|') : undefined;
    const arrival: Arrival = { campaign, external: isExternal(attribution.source), props: attribution.props };
    // data-journey-stage wins for the page view (contract §5 rule 1); a URL rule's stage is a candidate like an event's.
    emit('page_view', Object.assign({}, props), arrival, readPageStage(document, log), match.stage);
    if (match.event) emit(match.event);
  };

  const navigate = () => {
    leave();
    pageReferrer = pageUrl;
    pageView();
  };

  const ctxFor = (plugin: Plugin): PluginContext => ({
    track: (type, props) => emit(type, props),
    get stage() {
      return stage;
    },
    get session() {
      return sessionId;
    },
    on: (name, fn) => {
      const unsubscribe = emitter.on(name, fn);
      teardowns.push(unsubscribe);
      return unsubscribe;
    },
    listen: (target, type, fn) => {
      teardowns.push(listen(target, type, guard(fn, log, plugin.name)));
    },
    state: <T>() => ({
      get: () => prefs.get<T>('plugin:' + plugin.name),
      set: (v: T | undefined) => prefs.set('plugin:' + plugin.name, v),
    }),
    log: (...args) => log(plugin.name + ':', ...args),
  });

  const use = (plugin: Plugin) => {
    if (!plugin || typeof plugin != 'object' || typeof plugin.name != 'string') return log('not a plugin:', plugin);
    if (plugins.some((p) => p.name == plugin.name)) return log('plugin', plugin.name, 'already on');
    plugins.push(plugin);
    try {
      const teardown = plugin.setup && plugin.setup(ctxFor(plugin));
      if (typeof teardown == 'function') teardowns.push(teardown);
    } catch (e) {
      off(plugin, e);
    }
  };

  const start = () => {
    if (started) return;
    started = true;
    for (const plugin of config.plugins) use(plugin);
    whenActivated(() => {
      pageView();
      const track = (type: string, props: Props) => emit(type, props);
      teardowns.push(
        onActions(document, track, log),
        onViews(document, track, log),
        listen(document, 'visibilitychange', clock.update),
        onHidden(() => ignore(delivery.flush(true))),
        listen(window, 'pagehide', () => {
          leave();
          ignore(delivery.flush(true));
        }),
        // A page restored from the back/forward cache is a new page view for the visitor.
        listen(window, 'pageshow', (e: PageTransitionEvent) => e.persisted && pageView()),
      );
      if (config.spa) teardowns.push(onNavigate(navigate, config.hash));
    });
  };

  const api: StartableTracker = {
    get stage() {
      return stage;
    },
    track: (type, props) => (typeof type == 'string' && type ? emit(type.slice(0, 100), props) : log('track: no type')),
    page: (props) => pageView(props),
    identify: (id) => {
      userId = id == null ? undefined : String(id).slice(0, 200);
    },
    consent: (granted) => {
      if (granted) {
        refused = false;
        if (!held) return;
        held = false;
        prefs.persist();
        prefs.set('consent', 1);
        delivery.release();
      } else {
        held = refused = true;
        prefs.erase();
        ignore(delivery.erase());
      }
    },
    on: (name, fn) => emitter.on(name, fn),
    use,
    flush: () => delivery.flush().catch(noop),
    destroy: () => {
      teardowns.splice(0).forEach((t) => guard(t, log, 'teardown')());
      emitter.clear();
      delivery.destroy();
      refused = true;
    },
    _start: start,
  };

  // Every public method contains its own errors: nothing reaches the page.
  for (const key of ['track', 'page', 'identify', 'consent', 'use', 'destroy', '_start'] as const) {
    (api as any)[key] = guard((api as any)[key], log, key);
  }
  const on = api.on;
  api.on = (name, fn) => guard(on, log, 'on')(name, fn) || noop;
  if (!(options as any)._manual) api._start();
  return api;
};
