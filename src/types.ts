/** Public types of journey-tracker (README, "Quickstart: developers" and "Plugins"). */
import type { Track } from './events';

/** The journey stages, in funnel order. */
export type Stage = 'awareness' | 'consideration' | 'conversion' | 'retention' | 'advocacy';

/** Free-form event properties; the tracker makes them serialisable and bounded. */
export type Props = Record<string, unknown>;

/** Where a session came from: sent on its first `page_view` and kept as touches by `referral()`. */
export type Source = 'search' | 'social' | 'paid' | 'referral' | 'email' | 'direct' | 'internal';

/** An event as it goes on the wire (README, "The wire format"). */
export interface JourneyEvent {
  id: string;
  type: string;
  time: number;
  visitor_id: string;
  session_id: string;
  stage: Stage;
  url: string;
  referrer: string;
  title: string;
  props: Props;
  user_id?: string;
  truncated?: true;
}

/** A URL rule: `match` is a path glob (`*` in a segment, `**` across) or `re:<regex>`. */
export interface Rule {
  match: string;
  stage?: Stage;
  event?: string;
}

export interface TrackerOptions {
  /** Where batches are POSTed (absolute or relative URL). Required. */
  endpoint: string;
  /** Site key sent with every batch. Default: `location.hostname`. */
  site?: string;
  /** URL rules, tried before the built-in defaults. */
  rules?: Rule[];
  plugins?: Plugin[];
  /** `pending`: nothing stored or sent until `consent(true)`. Default `granted`. */
  consent?: 'granted' | 'pending';
  /** Page views on history changes. Default `true`. */
  spa?: boolean;
  /** Also count hash changes as page views. Default `false`. */
  hashChanges?: boolean;
  /** Log what the tracker does to the console. */
  debug?: boolean;
  /** Minutes without an event before a session ends. Default 30. */
  sessionTimeout?: number;
  /** Query parameters removed from URLs before storage (added to the built-in list). */
  stripParams?: string[];
  /** Honour Global Privacy Control and Do Not Track. Default `true`. */
  privacySignals?: boolean;
  /** Cap of the stored queue, in events. Default 10,000. */
  maxQueue?: number;
}

/** Names of the tracker's own notifications, with their payloads. */
export interface TrackerEvents {
  /** The visitor's stage changed. */
  stage: { from: Stage; to: Stage };
  /** Any event, as queued: after the stage is set and plugins' `beforeSend` ran (dropped events are not seen). */
  event: JourneyEvent;
  /** A page view was emitted (also after SPA navigation and bfcache restores). */
  page: JourneyEvent;
  /** The page is being left (pagehide or SPA navigation): `page_leave` was emitted. */
  leave: JourneyEvent;
  /** A new session started; `previous` is the ended session's id, if there was one. */
  session: { id: string; previous?: string };
}

export type TrackerEventName = keyof TrackerEvents;

/** Per-plugin persisted state (kept in the tracker's own storage, erased on refusal). */
export interface PluginState<T> {
  get(): T | undefined;
  set(value: T | undefined): void;
}

/** What a plugin is given in `setup`: the only way it reaches the tracker. */
export interface PluginContext {
  /** Emit an event through the normal pipeline. */
  track: Track;
  /** The visitor's current stage. */
  readonly stage: Stage;
  /** The current session's id. */
  readonly session: string;
  /** Subscribe to tracker notifications; returns an unsubscribe. Removed on teardown. */
  on<K extends TrackerEventName>(name: K, fn: (payload: TrackerEvents[K]) => void): () => void;
  /** Add a DOM listener (delegation friendly); removed on teardown. */
  listen(target: EventTarget, type: string, fn: (e: Event) => void): void;
  /** This plugin's own persisted state. */
  state<T>(): PluginState<T>;
  /** A message shown only in debug mode. */
  log(...args: unknown[]): void;
}

/**
 * A plugin. Every hook is optional.
 * - `setup` runs once, when the plugin is added (after the tracker has started); it may return a teardown.
 * - `beforeSend` runs for every event, in plugin order, before the event is stored: return the
 *   event (changed or not), or `null` to drop it. Returning nothing keeps it as it is.
 */
export interface Plugin {
  name: string;
  setup?(ctx: PluginContext): void | (() => void);
  beforeSend?(event: JourneyEvent): JourneyEvent | null | void;
}

export interface Tracker {
  /** The visitor's current stage. */
  readonly stage: Stage;
  /** A known event's props are checked (`Events`); any other name takes free-form props. */
  track: Track;
  page(props?: Props): void;
  identify(id: string | null): void;
  /** `true` grants (remembered); `false` refuses and erases the stored queue, ids and profile. */
  consent(granted: boolean): void;
  on<K extends TrackerEventName>(name: K, fn: (payload: TrackerEvents[K]) => void): () => void;
  use(plugin: Plugin): void;
  /** Send everything stored now; resolves when done (never rejects). */
  flush(): Promise<void>;
  destroy(): void;
}
