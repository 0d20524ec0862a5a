/**
 * The tracker's small synchronous state (visitor and session ids, the visitor profile, plugin state, the consent
 * grant) under `journey:` keys in localStorage. Only a few hundred bytes: the event queue lives in IndexedDB, so
 * the shop's own localStorage quota is never at risk. Until consent is granted everything stays in memory.
 * localStorage can throw on mere access (Safari private mode, sandboxed iframes, blocked cookies): every call is
 * guarded, and the memory copy always answers.
 */
import { json } from '../lib/json';

const PREFIX = 'journey:';

const local = (): Storage | undefined => {
  try {
    return localStorage;
  } catch {}
};

export const createPrefs = (persist: boolean) => {
  const memory = new Map<string, unknown>();
  const write = (key: string, value: unknown) => {
    try {
      // json(): survives Prototype.js's Array toJSON. A value it cannot write keeps the stored one.
      const s = json(value);
      s ? local()!.setItem(PREFIX + key, s) : value === undefined && local()!.removeItem(PREFIX + key);
    } catch {}
  };
  return {
    get<T>(key: string): T | undefined {
      // One lookup when the value is in memory (every track() reads a few keys).
      const v = memory.get(key);
      if (v !== undefined || memory.has(key) || !persist) return v as T | undefined;
      try {
        const raw = local()!.getItem(PREFIX + key);
        memory.set(key, raw == null ? undefined : JSON.parse(raw));
      } catch {
        memory.set(key, undefined);
      }
      return memory.get(key) as T | undefined;
    },
    set(key: string, value: unknown): void {
      memory.set(key, value);
      if (persist) write(key, value);
    },
    /** Start writing through (consent granted): what was held in memory is written now. */
    persist(): void {
      persist = true;
      memory.forEach((v, k) => write(k, v));
    },
    /** Forget everything, here and in storage (consent refused). */
    erase(): void {
      persist = false;
      memory.clear();
      const ls = local();
      try {
        for (let i = ls ? ls.length : 0; i--; ) {
          const key = ls!.key(i);
          if (key && key.startsWith(PREFIX)) ls!.removeItem(key);
        }
      } catch {}
    },
  };
};

export type Prefs = ReturnType<typeof createPrefs>;

/** Whether an earlier page granted consent (read without writing anything). */
export const grantedBefore = (): boolean => {
  try {
    return local()!.getItem(PREFIX + 'consent') === '1';
  } catch {
    return false;
  }
};
