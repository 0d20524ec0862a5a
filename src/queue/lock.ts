import { DB } from './disk';

/**
 * The cross-tab lock: `fn` runs under one Web Lock shared by all tabs of the origin. A round holds it while it
 * reads the stored queue, sends it and deletes what was delivered, so the next tab to get the lock only sees
 * undelivered events: two live tabs never send the same one. Without Web Locks (Safari < 15.4) tabs may race
 * and send an event twice; ids keep that harmless.
 */
export const locked = (fn: () => Promise<void>): Promise<unknown> => {
  const locks = navigator.locks;
  let did = 0;
  // A lock manager that refuses (opaque origins) rejects without running `fn`: run it unlocked.
  return locks ? locks.request(DB, () => ((did = 1), fn())).catch((): unknown => did || fn()) : fn();
};
