import type { Step } from './job';

/** Into the durable queue (IndexedDB, then batches). */
export const queue: Step = (j, c) => {
  j._event && c._delivery.push(j._event);
};
