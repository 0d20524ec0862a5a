import type { Props } from '../types';

/**
 * Turns whatever a page hands to `track()` into bounded, serialisable JSON: cycles, functions, symbols, DOM nodes
 * and throwing getters are dropped, BigInt becomes a string, strings are cut, depth and width are capped. Never
 * throws. The byte cap of a whole event is the transport's job (it truncates and flags oversized events).
 */
const MAX_DEPTH = 6;
const MAX_KEYS = 100;
const MAX_STRING = 1000;

const value = (v: unknown, depth: number, seen: unknown[]): unknown => {
  switch (typeof v) {
    case 'string':
      return v.length > MAX_STRING ? v.slice(0, MAX_STRING) : v;
    case 'number':
      return isFinite(v) ? v : undefined;
    case 'boolean':
      return v;
    case 'bigint':
      return String(v);
    case 'object':
      if (!v || depth > MAX_DEPTH || seen.includes(v) || typeof (v as Node).nodeType == 'number') return v === null ? null : undefined;
      seen.push(v);
      try {
        if (Array.isArray(v)) {
          const out: unknown[] = [];
          for (let i = 0; i < v.length && i < MAX_KEYS; i++) {
            const item = value(v[i], depth + 1, seen);
            if (item !== undefined) out.push(item);
          }
          return out;
        }
        return object(v as Record<string, unknown>, depth + 1, seen);
      } finally {
        seen.pop();
      }
  }
};

const object = (o: Record<string, unknown>, depth: number, seen: unknown[]): Props => {
  const out: Props = {};
  let n = 0;
  for (const key of Object.keys(o)) {
    // Keys become object keys again at the receiver: keep prototype-polluting names out.
    if (n >= MAX_KEYS || key == '__proto__' || key == 'constructor' || key == 'prototype') continue;
    try {
      const v = value(o[key], depth, seen);
      if (v !== undefined) (out[key.slice(0, 100)] = v), n++;
    } catch {
      // A getter that throws loses its own key only.
    }
  }
  return out;
};

export const cleanProps = (props: unknown): Props => {
  try {
    return props && typeof props == 'object' && !Array.isArray(props) ? object(props as Record<string, unknown>, 0, []) : {};
  } catch {
    return {};
  }
};
