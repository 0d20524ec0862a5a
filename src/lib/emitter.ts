import type { Log } from './log';
import { LISTENER_FAILED } from './codes';

type Handler = (payload: any) => void;

/** A tiny event emitter (after developit/mitt): a listener that throws is logged, the others still run. */
export const createEmitter = (log: Log) => {
  const all = new Map<string, Handler[]>();
  return {
    on(name: string, fn: Handler): () => void {
      const list = all.get(name) || [];
      all.set(name, list.concat(fn));
      return () =>
        all.set(
          name,
          (all.get(name) || []).filter((h) => h !== fn),
        );
    },
    emit(name: string, payload: unknown): void {
      // The list is replaced, never mutated, on subscribe/unsubscribe, so iterating it is safe. An index loop: no
      // iterator per event (this runs for every track()).
      const list = all.get(name);
      for (let i = 0; list && i < list.length; i++) {
        try {
          list[i](payload);
        } catch (e) {
          log(LISTENER_FAILED, name, e);
        }
      }
    },
    clear: () => all.clear(),
  };
};

export type Emitter = ReturnType<typeof createEmitter>;
