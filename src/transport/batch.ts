// Only `json` is left here (the batching moved to src/queue/batch.ts): it is a general helper, used by the
// queue and by core/prefs.ts, on its way to src/lib/.
const A = Array.prototype;

/** JSON of anything, `undefined` when it cannot be serialised (cycles, BigInt, a page that broke JSON). */
export const json = (v: unknown): string | undefined => {
  // Prototype.js 1.6 gives arrays a toJSON that writes them as strings: set it aside while we serialise, and put
  // back exactly what was there (a non-configurable one throws on delete, caught, and is redefined as it was).
  const d = Object.getOwnPropertyDescriptor(A, 'toJSON');
  try {
    if (d) delete (A as any).toJSON;
    return JSON.stringify(v);
  } catch {
  } finally {
    if (d) Object.defineProperty(A, 'toJSON', d);
  }
};
