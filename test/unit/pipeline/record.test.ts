import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRecorder } from '../../../src/pipeline/record';
import { TOO_DEEP, TRACK_FAILED } from '../../../src/lib/codes';

afterEach(() => vi.useRealTimers());

describe('record', () => {
  it('records now and processes in a task of its own, in order, with each call`s time and props copy', () => {
    vi.useFakeTimers({ now: 1000 });
    const done: unknown[][] = [];
    const rec = createRecorder(
      (...a) => done.push(a),
      () => {},
    );
    const props = { a: 1 };
    rec.record('one', props);
    props.a = 2;
    rec.record('two');
    expect(done).toEqual([]);
    expect(rec.waiting()).toBe(true);
    vi.runAllTimers();
    expect(done).toEqual([
      ['one', { a: 1 }, 1000, props],
      ['two', undefined, 1000, undefined],
    ]);
    expect(rec.waiting()).toBe(false);
  });

  it('processes at once on drain(), calls recorded meanwhile after the one being processed', () => {
    const done: string[] = [];
    const rec = createRecorder(
      (type) => {
        done.push(type);
        if (type == 'a') rec.record('answer'), rec.drain();
      },
      () => {},
    );
    rec.record('a');
    rec.record('b');
    rec.drain();
    expect(done).toEqual(['a', 'b', 'answer']);
  });

  it('cuts a chain of calls made in answer to calls after 8 generations', () => {
    const log = vi.fn();
    let n = 0;
    const rec = createRecorder(() => (n++, rec.record('again')), log);
    rec.record('first');
    rec.drain();
    expect(n).toBe(9);
    expect(log).toHaveBeenCalledWith(TOO_DEEP, 'again');
  });

  // A call without a type is recorded like any other: the pipeline's first step refuses it (steps.test.ts).
  it('survives a processing error and goes on with the next call', () => {
    const log = vi.fn();
    const done: unknown[] = [];
    const rec = createRecorder((type) => {
      done.push(type);
      if (!type) throw new Error('x');
    }, log);
    rec.record('' as string);
    rec.record('a');
    expect(() => rec.drain()).not.toThrow();
    expect(done).toEqual(['', 'a']);
    expect(log).toHaveBeenCalledWith(TRACK_FAILED, '', expect.any(Error));
  });
});
