/** Adds a capturing listener; returns its removal. */
export const listen = (target: EventTarget, type: string, fn: (e: any) => void): (() => void) => {
  target.addEventListener(type, fn, true);
  return () => target.removeEventListener(type, fn, true);
};
