import { getProfile, saveProfile } from './profile';
import type { Step } from './job';
import { DUPLICATE } from '../lib/codes';

/** The core never sends a second `purchase` for a transaction_id it tracked (a reloaded thank-you page). */
export const dedupe: Step = (j, c) => {
  const p = (j._profile = getProfile(c));
  const tx = j._props.transaction_id;
  if (j._type == 'purchase' && tx != null) {
    if (p.tx?.includes('' + tx)) return (c._log(DUPLICATE, tx), true);
    saveProfile(c, ((p.tx = (p.tx || []).concat('' + tx).slice(-50)), p));
  }
};
