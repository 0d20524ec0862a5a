import type { JourneyEvent } from '../../../src/types';

/**
 * Stands in for src/queue/queue in the fuzz tests: what the core pushes is exactly what would be stored and sent.
 * Use with `vi.mock('../../../src/queue/queue', () => import('./recording-delivery'))` and read `pushed`.
 */
export const pushed: JourneyEvent[] = [];

export const createDelivery = () => ({
  push: (e: JourneyEvent) => void pushed.push(e),
  flush: async () => {},
  release: () => {},
  erase: async () => {},
  destroy: () => {},
});
