import { nextStage, stageOfEvent } from '../stages/stage';
import { getProfile, retained, saveProfile, setStage } from './profile';
import type { Step } from './job';

/** The stage transition (README, "Journey stages"): the page attribute wins, else the event's or rule's candidate. */
export const stage: Step = (j, c) => {
  // `_profile` is still right for retained(): only a purchase writes `b` and `r`, below.
  j._from = setStage(
    c,
    j._stage || nextStage(c._stage, j._candidate || stageOfEvent(j._type, j._props), retained(c, j._profile)),
  );
  if (j._type == 'purchase') {
    // Read again: setStage() may have stored a new profile (a new visitor's first).
    const p = getProfile(c);
    if (p.b && p.b != c._sid) p.r = 1;
    saveProfile(c, ((p.b = c._sid), p));
  }
};
