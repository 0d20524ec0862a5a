import type { TrackerOptions } from '../types';
import type { Log } from './log';

/** Options after validation, under their own names: every field has a sane value, whatever the page passed in. */
export type Config = Required<Omit<TrackerOptions, 'debug' | 'maxQueue' | 'consent'>> & Pick<TrackerOptions, 'maxQueue' | 'consent'>;

const type = (t: string) => (v: unknown) => typeof v == t;
const bool = type('boolean');
const list = Array.isArray;
const positive = (v: unknown) => (v as number) > 0 && type('number')(v);

// name, check, default: a loop over a table is smaller than a line of code per option.
const TABLE: [keyof TrackerOptions, (v: any) => unknown, unknown?][] = [
  ['endpoint', (v) => type('string')(v) && v.trim(), ''],
  ['site', (v) => type('string')(v) && v],
  ['rules', list, []],
  ['plugins', list, []],
  ['consent', (v) => v == 'granted' || v == 'pending', 'granted'],
  ['spa', bool, true],
  ['hashChanges', bool, false],
  ['sessionTimeout', positive, 30],
  ['stripParams', (v) => list(v) && v.every(type('string')), []],
  ['privacySignals', bool, true],
  ['maxQueue', positive],
];

/**
 * Validates options field by field: a wrong one is a short debug message and its default, never an exception.
 * Returns undefined when no usable endpoint was given (the tracker then stays inert).
 */
export const readOptions = (o: Partial<TrackerOptions> | undefined, log: Log): Config | undefined => {
  const opts: any = o && typeof o == 'object' ? o : {};
  const c: any = {};
  for (const [k, ok, d] of TABLE) {
    const v = opts[k];
    c[k] = v === undefined ? d : ok(v) ? v : (log('option', k, 'ignored:', v), d);
  }
  c.site = c.site || location.hostname;
  return c.endpoint ? c : undefined;
};

/** Global Privacy Control or Do Not Track is on. */
export const privacySignal = (): boolean => {
  const n = navigator as any;
  return n.globalPrivacyControl === true || n.doNotTrack == '1' || (window as any).doNotTrack == '1';
};
