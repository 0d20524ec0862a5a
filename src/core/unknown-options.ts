/**
 * Under `debug`, the npm entry names options the tracker does not know (`endpiont`) (README, "Debugging").
 * TypeScript catches these at compile time; plain JavaScript does not. The script tag builds its options from
 * known attributes, so this stays out of it (the debug add-on checks the tag's).
 */
import type { TrackerOptions } from '../types';

// One string is the smallest list; the type test in unknown-options.test.ts keeps it equal to TrackerOptions' keys.
export const OPTION_NAMES =
  'endpoint site rules plugins consent spa hashChanges debug sessionTimeout stripParams privacySignals maxQueue';

/** Warns once per unknown own key of `options`; returns how many there were. */
export const warnUnknownOptions = (options: TrackerOptions): number => {
  const names = OPTION_NAMES.split(' ');
  const unknown = Object.keys(options).filter((k) => names.indexOf(k) < 0);
  for (const k of unknown) console.warn('[journey] unknown option', k, 'ignored; options are', OPTION_NAMES);
  return unknown.length;
};
