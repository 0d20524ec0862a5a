/** Debug logging: one path for every message, silent unless `debug` is on. */
export type Log = (...args: unknown[]) => void;

const noop: Log = () => {};

export const createLog = (debug?: boolean): Log => (debug ? (...args) => console.log('[journey]', ...args) : noop);
