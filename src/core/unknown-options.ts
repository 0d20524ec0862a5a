/**
 * Under `debug`, the npm entry names options the tracker does not know (`endpiont`) (README, "Debugging").
 * TypeScript catches these at compile time; plain JavaScript does not. The script tag builds its options from
 * known attributes, so this stays out of it (the debug add-on checks the tag's).
 */
import type { TrackerOptions } from '../types';
import { TABLE } from './options';

/** Every option: those readOptions validates, and `debug`, which the entries read themselves. */
export const optionNames = (): string[] => TABLE.map(([name]) => name as string).concat('debug');

/** Warns once per unknown own key of `options`; returns how many there were. */
export const warnUnknownOptions = (options: TrackerOptions): number => {
  const names = optionNames();
  const unknown = Object.keys(options).filter((k) => names.indexOf(k) < 0);
  for (const k of unknown) console.warn('[journey] unknown option', k, 'ignored; options are', names.join(' '));
  return unknown.length;
};
