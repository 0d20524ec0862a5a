import { fitType } from '../../wire/event.js';
import { cleanProps, wasCut } from '../core/clean';
import type { Step } from './job';
import { NO_TYPE, TYPE_CUT } from '../lib/codes';

/** Refused consent ends every path; the type is cut to what the collector accepts (wire/event.js); props are bounded JSON. */
export const clean: Step = (j, c) => {
  j._now = c._time || Date.now();
  if (c._refused) return true;
  const given = j._type;
  if (typeof given != 'string' || !given) return (c._log(NO_TYPE), true);
  if ((j._type = fitType(given)) != given) c._log(TYPE_CUT, j._type);
  j._props = cleanProps(j._raw, j._original);
  // Read now: cleaning the arrival props later starts anew. Props the attributes cut on their way in count too.
  j._cut = wasCut(j._raw);
};
