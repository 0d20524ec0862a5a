import type { TrackerOptions } from '../types';
import type { Log } from '../lib/log';
import { MAX_SITE, SITE } from '../../wire/event.js';
import { OPTION } from '../lib/codes';

/** Options after validation, under their own names: every field has a sane value, whatever the page passed in. */
export type Config = Required<Omit<TrackerOptions, 'debug' | 'maxQueue' | 'consent'>> &
  Pick<TrackerOptions, 'maxQueue' | 'consent'>;

const type = (t: string) => (v: unknown) => typeof v == t;
const bool = /* @__PURE__ */ type('boolean');
// Lists from a page are bounded: a length of 2^32-1 must not be walked.
const list = (v: unknown) => Array.isArray(v) && v.length < 1e3;
// Type first: `>` on a Symbol throws, on an object it calls the page's valueOf.
const positive = (v: unknown) => type('number')(v) && (v as number) > 0;

// name, check, default: a loop over a table is smaller than a line of code per option.
export const TABLE: [keyof TrackerOptions, (v: any) => unknown, unknown?][] = [
  ['endpoint', (v) => type('string')(v) && v.trim(), ''],
  // The collector's rule (wire/event.js): a key it would refuse costs every batch, so the host name is sent instead.
  ['site', (v) => type('string')(v) && SITE.test(v)],
  ['rules', list, []],
  ['plugins', list, []],
  ['consent', (v) => v === 'granted' || v === 'pending', 'granted'],
  ['spa', bool, true],
  ['hashChanges', bool, false],
  ['sessionTimeout', positive, 30],
  ['stripParams', (v) => list(v) && v.every(type('string')), []],
  ['privacySignals', bool, true],
  // A whole number from 1 to 2^31-1 (`| 0` wraps above): 0.5 or 5e-194 would make the cap 0 and drop everything.
  ['maxQueue', (v) => positive(v) && v === (v | 0)],
];

/**
 * Validates options field by field: a wrong one is a short debug message and its default, never an exception.
 * Returns undefined when no usable endpoint was given (the tracker then stays inert).
 */
export const readOptions = (o: Partial<TrackerOptions> | undefined, log: Log): Config | undefined => {
  const opts: any = o && typeof o == 'object' ? o : {};
  const c: any = {};
  for (const [k, ok, d] of TABLE) {
    try {
      const v = opts[k];
      c[k] = v === undefined ? d : ok(v) ? v : (log(OPTION, k, v), d);
    } catch {
      // A getter or Proxy that throws: the default.
      c[k] = d;
    }
  }
  // A host name fits the site key's characters but not always its length (DNS allows 253); a file:// page has none.
  // The end of a long one is kept: that is where the shop's own domain is.
  c.site = c.site || location.hostname.slice(-MAX_SITE) || 'localhost';
  return c.endpoint ? c : undefined;
};

/** Global Privacy Control or Do Not Track is on. */
export const privacySignal = (): boolean => {
  const n = navigator as any;
  return n.globalPrivacyControl === true || n.doNotTrack == '1' || (window as any).doNotTrack == '1';
};
