/**
 * A fake of the core as plugins see it: `ctx` per plugin, notifications the test fires, state in
 * memory (JSON round-tripped, like real storage, so a plugin that mutates what `get()` returned
 * without `set()` loses it), and a `track` pipeline like the core's: build the event, notify
 * `event`, run every plugin's `beforeSend` in order, record the result, then notify `page` for page views.
 * `notifyAfter` moves the `event` notification after the beforeSend chain: plugins must work either way.
 */
import type { JourneyEvent, Plugin, PluginContext, Props, Stage, TrackerEventName, TrackerEvents } from '../../../src/types';

type Handler = (payload: never) => void;

export interface FakeOptions {
  /** The current session id; `''` stands for "no event yet" (before the first page view). */
  session?: string;
  stage?: Stage;
  /** Shared between fakes to stand for storage that survives a reload. */
  store?: Map<string, string>;
  /** Clock for event times. */
  now?: () => number;
  /** Notify `event` after the beforeSend chain (with the final event) instead of before it. */
  notifyAfter?: boolean;
}

export const createFake = (o: FakeOptions = {}) => {
  const store = o.store || new Map<string, string>();
  const handlers = new Map<string, Set<Handler>>();
  const plugins: Plugin[] = [];
  const teardowns: Array<() => void> = [];
  let n = 0;

  const fake = {
    session: o.session ?? 'S1',
    /** The page's referrer, as the core sends it on the next events. */
    referrer: '',
    stage: (o.stage || 'awareness') as Stage,
    now: o.now || (() => Date.now()),
    store,
    /** Events after every beforeSend, as they would be stored. */
    sent: [] as JourneyEvent[],
    /** Events a beforeSend dropped. */
    dropped: [] as JourneyEvent[],
    logs: [] as unknown[][],

    fire<K extends TrackerEventName>(name: K, payload: TrackerEvents[K]) {
      for (const fn of [...(handlers.get(name) || [])]) (fn as (p: TrackerEvents[K]) => void)(payload);
    },

    track(type: string, props: Props = {}): JourneyEvent | null {
      let e: JourneyEvent | null = {
        id: 'E' + ++n,
        type,
        time: fake.now(),
        visitor_id: 'V1',
        session_id: fake.session,
        stage: fake.stage,
        url: location.href,
        referrer: fake.referrer,
        title: document.title,
        props: { ...props },
      };
      if (!o.notifyAfter) fake.fire('event', e);
      for (const p of plugins) {
        if (!p.beforeSend) continue;
        const r: JourneyEvent | null | void = p.beforeSend(e);
        if (r === null) {
          fake.dropped.push(e);
          return null;
        }
        if (r) e = r;
      }
      fake.sent.push(e!);
      if (o.notifyAfter) fake.fire('event', e!);
      // After the page view is stored, as its name says ("a page view was emitted").
      if (type == 'page_view') fake.fire('page', e!);
      return e;
    },

    page(props?: Props) {
      return fake.track('page_view', props);
    },

    /** A new session starts, as the core announces it. */
    newSession(id: string) {
      const previous = fake.session;
      fake.session = id;
      fake.fire('session', { id, previous });
    },

    /** Sent events of one type. */
    of(type: string) {
      return fake.sent.filter((e) => e.type == type);
    },

    contextFor(name: string): PluginContext {
      return {
        track: (type, props) => void fake.track(type, props),
        get stage() {
          return fake.stage;
        },
        get session() {
          return fake.session;
        },
        on(name, fn) {
          const set = handlers.get(name) || new Set();
          handlers.set(name, set);
          set.add(fn as Handler);
          const off = () => void set.delete(fn as Handler);
          teardowns.push(off);
          return off;
        },
        listen(target, type, fn) {
          target.addEventListener(type, fn);
          teardowns.push(() => target.removeEventListener(type, fn));
        },
        state<T>() {
          return {
            get: () => {
              const v = store.get(name);
              return v == null ? undefined : (JSON.parse(v) as T);
            },
            set: (v: T | undefined) => void (v === undefined ? store.delete(name) : store.set(name, JSON.stringify(v))),
          };
        },
        log: (...args) => void fake.logs.push(args),
      };
    },

    /** Add a plugin like `tracker.use`: setup with its own ctx, beforeSend in the order added. */
    use(p: Plugin) {
      plugins.push(p);
      const off = p.setup && p.setup(fake.contextFor(p.name));
      if (off) teardowns.push(off);
      return fake;
    },

    /** Tear every plugin down and remove its subscriptions, like `tracker.destroy`. */
    destroy() {
      for (const t of teardowns.splice(0).reverse()) t();
      plugins.length = 0;
    },

    /** The state a plugin persisted, decoded. */
    stateOf<T>(name: string): T | undefined {
      const v = store.get(name);
      return v == null ? undefined : (JSON.parse(v) as T);
    },
  };
  return fake;
};

export type Fake = ReturnType<typeof createFake>;
