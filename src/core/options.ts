import type { Plugin, Rule, TrackerOptions } from '../types';
import type { Log } from './log';

/** Options after validation: every field has a sane value, whatever the page passed in. */
export interface Config {
  endpoint: string;
  site: string;
  rules: Rule[];
  plugins: Plugin[];
  pending: boolean;
  spa: boolean;
  hash: boolean;
  timeout: number;
  strip: string[];
  signals: boolean;
  maxQueue?: number;
}

const is = (v: unknown, type: string) => typeof v == type;

/**
 * Validates options field by field: a wrong one is a short debug message and its default, never an exception.
 * Returns undefined when no usable endpoint was given (the tracker then stays inert).
 */
export const readOptions = (o: Partial<TrackerOptions> | undefined, log: Log): Config | undefined => {
  const opts: Record<string, any> = o && is(o, 'object') ? o : {};
  const pick = <T>(name: string, ok: (v: any) => boolean, fallback: T): T => {
    const v = opts[name];
    if (v === undefined) return fallback;
    if (ok(v)) return v;
    log('option', name, 'ignored:', v);
    return fallback;
  };
  const endpoint = pick('endpoint', (v) => is(v, 'string') && !!v.trim(), '');
  if (!endpoint) return;
  const list = (v: unknown) => Array.isArray(v);
  const positive = (v: unknown) => is(v, 'number') && (v as number) > 0;
  return {
    endpoint,
    site: pick('site', (v) => is(v, 'string') && !!v, location.hostname),
    rules: pick('rules', list, []),
    plugins: pick('plugins', list, []),
    pending: pick<string>('consent', (v) => v == 'granted' || v == 'pending', 'granted') == 'pending',
    spa: pick('spa', (v) => is(v, 'boolean'), true),
    hash: pick('hashChanges', (v) => is(v, 'boolean'), false),
    timeout: pick('sessionTimeout', positive, 30) * 60000,
    strip: pick('stripParams', (v) => list(v) && v.every((p: unknown) => is(p, 'string')), []),
    signals: pick('privacySignals', (v) => is(v, 'boolean'), true),
    maxQueue: pick('maxQueue', positive, undefined),
  };
};

/** Global Privacy Control or Do Not Track is on. */
export const privacySignal = (): boolean => {
  const n = navigator as any;
  return n.globalPrivacyControl === true || n.doNotTrack == '1' || (window as any).doNotTrack == '1';
};
