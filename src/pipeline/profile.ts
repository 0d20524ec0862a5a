import type { Stage } from '../types';
import type { Core, Profile } from './job';

const PROFILE = 'profile';

export const getProfile = (c: Core): Profile => c._prefs.get<Profile>(PROFILE) || {};

export const saveProfile = (c: Core, p: Profile) => c._prefs.set(PROFILE, p);

/** Moves the stage; returns the one it left, if it changed. */
export const setStage = (c: Core, to: Stage): Stage | undefined => {
  const from = c._stage;
  if (to != from) {
    const p = getProfile(c);
    saveProfile(c, ((p.s = c._stage = to), p));
    return from;
  }
};

/** A purchase in an earlier session: README, "Journey stages", rule 3. */
export const retained = (c: Core, p: Profile) => !!(p.r || (p.b && p.b != c._sid));
