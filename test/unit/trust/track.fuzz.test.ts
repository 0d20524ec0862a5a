// Fuzz: the public methods with hostile arguments (thousands of generated cases). Nothing may escape into the page,
// and every event that reaches delivery must be valid, bounded wire format (README, "Quickstart: developers" and "The wire format"; issue 9).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { processNow } from '../process-now';
import fc from 'fast-check';
import type { Tracker } from '../../../src/types';
import {
  batchProblems,
  build,
  createTally,
  describe as show,
  hostile,
  hostileProps,
  note,
  report,
  wireProblems,
} from './hostile';
import { pushed } from './recording-delivery';

// Delivery is replaced by a recorder: what the core pushes is exactly what would be stored and sent.
vi.mock('../../../src/queue/queue', () => import('./recording-delivery'));

const { createTracker } = await import('../../../src/tracker/tracker');

// FUZZ_RUNS=5000 for a deeper run; the default keeps the suite quick.
const RUNS = Number(process.env.FUZZ_RUNS) || 1000;
const types = fc.oneof(
  {
    arbitrary: fc.constantFrom('click', 'add_to_cart', 'purchase', 'nps_response', 'view_item', 'share', 'page_view'),
    weight: 3,
  },
  { arbitrary: fc.string({ unit: 'binary' }), weight: 1 },
  { arbitrary: hostile, weight: 1 },
  fc.constant('t'.repeat(5000)),
);

const calls = fc.oneof(
  { arbitrary: fc.tuple(fc.constant('track' as const), types, hostileProps), weight: 8 },
  fc.tuple(fc.constant('page' as const), hostileProps, fc.constant(0)),
  fc.tuple(fc.constant('identify' as const), hostile, fc.constant(0)),
  fc.tuple(fc.constant('on' as const), hostile, hostile),
  fc.tuple(fc.constant('use' as const), hostile, fc.constant(0)),
);

describe('hostile arguments to the tracker methods', () => {
  const tally = createTally();
  const wire = createTally();
  let tracker: Tracker;

  beforeAll(() => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    localStorage.clear();
    tracker = processNow(createTracker({ endpoint: '/collect', site: 'test' }));
    // Every event ever pushed is checked below; start-up's page_view too.
    fc.assert(
      fc.property(calls, ([method, a, b]) => {
        tally.tried++;
        const from = pushed.length;
        try {
          const x = build(a);
          const y = build(b);
          (tracker as any)[method](x, y);
        } catch (e) {
          tally.escaped++;
          note(tally, `${method} threw ${e}`, [method, a, b]);
        }
        for (const e of pushed.slice(from)) {
          tally.events++;
          wire.events++;
          for (const p of wireProblems(e)) note(tally, p, [method, show(a), show(b)]);
          for (const p of batchProblems(e)) note(wire, p, [method, show(a), show(b)]);
        }
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED) || undefined },
    );
    wire.tried = tally.tried;
    // A prototype polluted by a `__proto__` key would show up on every object.
    tally.escaped += 'polluted' in {} ? 1 : 0;
  }, 300_000);

  afterAll(() => {
    report('track/page/identify/on/use: events as stored', tally);
    report('track/page/identify/on/use: events as sent (transport serialisation)', wire);
    tracker?.destroy();
    vi.restoreAllMocks();
  });

  it(`tries ${RUNS} generated calls and lets no exception escape`, () => {
    expect(tally.tried).toBeGreaterThanOrEqual(RUNS);
    expect(tally.escaped).toBe(0);
  });

  it('hands delivery only events that are plain JSON with every contract field, each at most 60,000 bytes', () => {
    expect(tally.events).toBeGreaterThan(RUNS / 2);
    expect(tally.problems).toEqual([]);
  });

  it('puts every event on the wire as a batch of at most 60,000 bytes that parses back', () => {
    expect(wire.problems).toEqual([]);
  });
});

describe('named hostile props, one by one', () => {
  let tracker: Tracker;
  beforeAll(() => {
    localStorage.clear();
    tracker = processNow(createTracker({ endpoint: '/collect', site: 'test' }));
  });
  afterAll(() => tracker?.destroy());

  const last = () => pushed[pushed.length - 1];

  it('keeps the readable parts of a circular object and drops the cycle', () => {
    const o: any = { name: 'shirt' };
    o.self = o;
    o.list = [o, 1];
    tracker.track('x', o);
    expect(last().props).toEqual({ name: 'shirt', list: [1] });
  });

  it('turns BigInt into its decimal string and drops symbols, functions and DOM nodes', () => {
    tracker.track('x', { big: 12345678901234567890n, sym: Symbol('s'), fn: () => 1, el: document.body, ok: 1 });
    expect(last().props).toEqual({ big: '12345678901234567890', ok: 1 });
  });

  it('loses only the key whose getter throws', () => {
    const o = { ok: 'yes' };
    Object.defineProperty(o, 'bad', {
      enumerable: true,
      get: () => {
        throw new Error('x');
      },
    });
    tracker.track('x', o);
    expect(last().props).toEqual({ ok: 'yes' });
  });

  it('tracks the event with empty props when the props are a Proxy that throws on every trap', () => {
    const before = pushed.length;
    const proxy = new Proxy(
      {},
      new Proxy(
        {},
        {
          get: () => () => {
            throw new Error('trap');
          },
        },
      ),
    );
    expect(() => tracker.track('proxied', proxy as any)).not.toThrow();
    expect(pushed.length).toBe(before + 1);
    expect(last()).toMatchObject({ type: 'proxied', props: {} });
  });

  it('cuts a 5 MB string prop so the event stays under 60,000 bytes', () => {
    tracker.track('x', { s: 'z'.repeat(5 * 2 ** 20) });
    expect(wireProblems(last())).toEqual([]);
    expect((last().props.s as string).length).toBeGreaterThan(0);
  });

  it('bounds an object made of shared references (100 × 100 × 1000 characters from a few KB of input)', () => {
    const leaf = 'y'.repeat(1000);
    const row = new Array(100).fill(leaf);
    tracker.track('x', { grid: new Array(100).fill(row) });
    // Per-level caps alone let this grow to 10 MB: the whole props need one budget.
    expect(wireProblems(last())).toEqual([]);
  });

  it('bounds a 2,000,000-item array and an object of 150 long strings', () => {
    tracker.track('x', { list: new Array(2e6).fill('item') });
    expect(wireProblems(last())).toEqual([]);
    tracker.track('x', Object.fromEntries(Array.from({ length: 150 }, (_, i) => ['k' + i, 'v'.repeat(1000)])));
    expect(wireProblems(last())).toEqual([]);
  });

  it('never sets a prototype from a __proto__ key', () => {
    tracker.track('x', JSON.parse('{"__proto__":{"polluted":1},"a":{"__proto__":{"polluted":1}}}'));
    expect(({} as any).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(last().props)).toBe(Object.prototype);
    expect(JSON.stringify(last().props)).not.toContain('polluted');
  });

  it('ignores a plugin beforeSend that returns something that is not an event', () => {
    for (const out of [42, 'x', true, [], () => 1]) {
      const t = processNow(
        createTracker({ endpoint: '/collect', site: 'test', plugins: [{ name: 'bad', beforeSend: () => out as any }] }),
      );
      const from = pushed.length;
      t.track('after_bad_plugin', { a: 1 });
      const mine = pushed.slice(from);
      t.destroy();
      // Either the event goes on unchanged or it is dropped; never a non-event on the wire.
      for (const e of mine) expect(wireProblems(e)).toEqual([]);
    }
  });
});
