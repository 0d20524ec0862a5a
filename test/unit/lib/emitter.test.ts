import { describe, expect, it, vi } from 'vitest';
import { createEmitter } from '../../../src/lib/emitter';

describe('createEmitter', () => {
  it('calls listeners in order and stops after unsubscribe', () => {
    const e = createEmitter(() => {});
    const seen: string[] = [];
    const off = e.on('x', (p) => seen.push('a' + p));
    e.on('x', (p) => seen.push('b' + p));
    e.emit('x', 1);
    off();
    e.emit('x', 2);
    expect(seen).toEqual(['a1', 'b1', 'b2']);
  });

  it('a throwing listener is logged and the others still run', () => {
    const log = vi.fn();
    const e = createEmitter(log);
    const fn = vi.fn();
    e.on('x', () => {
      throw new Error('boom');
    });
    e.on('x', fn);
    expect(() => e.emit('x', 1)).not.toThrow();
    expect(fn).toHaveBeenCalledWith(1);
    expect(log).toHaveBeenCalled();
  });

  it('a listener removed during emit does not break the loop', () => {
    const e = createEmitter(() => {});
    const fn = vi.fn();
    const off = e.on('x', () => off());
    e.on('x', fn);
    e.emit('x', 1);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});
