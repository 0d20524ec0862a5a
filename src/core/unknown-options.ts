/**
 * Under `debug`, the npm entry names options the tracker does not know (`endpiont`), with the close match
 * (README, "Debugging"). TypeScript catches these at compile time; plain JavaScript does not. The script tag
 * builds its options from known attributes, so this stays out of it (the debug add-on checks the tag's).
 */
import type { TrackerOptions } from '../types';
import { closeMatch, hint } from '../plugins/debug';

// A record, not a list: a key added to TrackerOptions and missing here is a compile error.
const KNOWN: Record<keyof TrackerOptions, 1> = {
  endpoint: 1,
  site: 1,
  rules: 1,
  plugins: 1,
  consent: 1,
  spa: 1,
  hashChanges: 1,
  debug: 1,
  sessionTimeout: 1,
  stripParams: 1,
  privacySignals: 1,
  maxQueue: 1,
};

/** Warns once per unknown own key of `options`; returns how many there were. */
export const warnUnknownOptions = (options: object): number => {
  const names = Object.keys(KNOWN);
  const unknown = Object.keys(options).filter((k) => names.indexOf(k) < 0);
  for (const k of unknown) console.warn('[journey] unknown option', k, 'ignored' + hint(closeMatch(k, names)));
  return unknown.length;
};
