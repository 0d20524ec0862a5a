// Fuzz: options of every wrong type. readOptions gives a sane config or undefined, createTracker gives a working
// (or inert) tracker and never throws, and the events it makes are valid wire format (issue 9).
import { afterAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { readOptions } from '../../../src/core/options';
import { room } from '../../../src/queue/batch';
import { build, createTally, describe as show, hostile, note, report, throwingProxy, wireProblems } from './hostile';
import { pushed } from './recording-delivery';

// Delivery is replaced by a recorder: what the core pushes is exactly what would be stored and sent.
vi.mock('../../../src/queue/queue', () => import('./recording-delivery'));

const { createTracker } = await import('../../../src/tracker/tracker');

const NAMES = [
  'endpoint',
  'site',
  'rules',
  'plugins',
  'consent',
  'spa',
  'hashChanges',
  'debug',
  'sessionTimeout',
  'stripParams',
  'privacySignals',
  'maxQueue',
];
// FUZZ_RUNS=5000 for a deeper run; the default keeps the suite quick.
const RUNS = Number(process.env.FUZZ_RUNS) || 1000;

const wrong = fc.oneof(
  { arbitrary: hostile, weight: 4 },
  fc.constantFrom(
    '',
    ' ',
    'granted',
    'pending',
    'GRANTED',
    'true',
    'false',
    0,
    -1,
    1.5,
    1e308,
    -0,
    NaN,
    Infinity,
    true,
    false,
    null,
    [],
    {},
    ['x'],
    [1, 'a'],
  ),
);
/** Options objects with any subset of the names, each of any value; the endpoint usually valid so the rest runs. */
const options = fc.oneof(
  {
    arbitrary: fc
      .record(Object.fromEntries(NAMES.map((n) => [n, wrong])) as Record<string, fc.Arbitrary<unknown>>, { requiredKeys: [] })
      .map((o) => ({ endpoint: '/collect', ...o })),
    weight: 4,
  },
  fc.record(Object.fromEntries(NAMES.map((n) => [n, wrong])) as Record<string, fc.Arbitrary<unknown>>, { requiredKeys: [] }),
  hostile,
);

const silence = () => {
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  vi.spyOn(console, 'log').mockImplementation(() => {});
};

describe('readOptions with generated wrong types', () => {
  const tally = createTally();
  afterAll(() => report('readOptions', tally));

  it(`tries ${RUNS} option objects: undefined or a config whose every field has its type`, () => {
    fc.assert(
      fc.property(options, (recipe) => {
        tally.tried++;
        let c: any;
        try {
          c = readOptions(build(recipe) as any, () => {});
        } catch (e) {
          tally.escaped++;
          return note(tally, 'threw ' + e, show(recipe));
        }
        tally.events++;
        if (c === undefined) return;
        // The validated options keep their public names (TrackerOptions).
        const bad = [
          typeof c.endpoint == 'string' && c.endpoint.trim() ? '' : 'endpoint',
          typeof c.site == 'string' && c.site ? '' : 'site',
          // The site key goes in every batch: a config must leave room for events in 60,000 bytes.
          room(String(c.site)) > 50000 ? '' : `site of ${String(c.site).length} chars leaves no room in a batch`,
          Array.isArray(c.rules) ? '' : 'rules',
          Array.isArray(c.plugins) ? '' : 'plugins',
          c.consent == 'granted' || c.consent == 'pending' ? '' : 'consent ' + typeof c.consent,
          ...['spa', 'hashChanges', 'privacySignals'].map((k) => (typeof c[k] == 'boolean' ? '' : k + ' ' + typeof c[k])),
          typeof c.sessionTimeout == 'number' && c.sessionTimeout > 0 ? '' : 'sessionTimeout ' + c.sessionTimeout,
          Array.isArray(c.stripParams) && c.stripParams.every((s: unknown) => typeof s == 'string') ? '' : 'stripParams',
          c.maxQueue === undefined || (Number.isInteger(c.maxQueue) && c.maxQueue > 0 && c.maxQueue < 2 ** 31)
            ? ''
            : 'maxQueue ' + c.maxQueue,
        ].filter(Boolean);
        for (const b of bad) note(tally, b, show(recipe));
      }),
      { numRuns: RUNS },
    );
    expect(tally.escaped).toBe(0);
    expect(tally.problems).toEqual([]);
  }, 120_000);
});

describe('createTracker with generated wrong types', () => {
  const tally = createTally();
  afterAll(() => {
    vi.restoreAllMocks();
    report('createTracker + track/page/flush/destroy', tally);
  });

  it(`tries ${RUNS} option objects: no throw, every method there, flush resolves, events valid`, async () => {
    silence();
    await fc.assert(
      fc.asyncProperty(options, async (recipe) => {
        tally.tried++;
        localStorage.clear();
        const from = pushed.length;
        try {
          const t = createTracker(build(recipe) as any);
          for (const m of ['track', 'page', 'identify', 'consent', 'on', 'use', 'flush', 'destroy'])
            if (typeof (t as any)[m] != 'function') note(tally, 'no method ' + m, show(recipe));
          t.track('add_to_cart', { value: 1, currency: 'EUR', items: [{ item_id: 'SKU-1' }] });
          t.page();
          const p = t.flush();
          if (!(p instanceof Promise)) note(tally, 'flush gave no promise', show(recipe));
          await p;
          t.destroy();
        } catch (e) {
          tally.escaped++;
          note(tally, 'threw ' + e, show(recipe));
        }
        for (const e of pushed.slice(from)) {
          tally.events++;
          for (const p of wireProblems(e)) note(tally, p, show(recipe));
        }
      }),
      { numRuns: RUNS },
    );
    expect(tally.escaped).toBe(0);
    expect(tally.problems).toEqual([]);
  }, 300_000);

  it('starts and sends its page_view when a plugin in the list throws on every property access', () => {
    localStorage.clear();
    const from = pushed.length;
    const t = createTracker({ endpoint: '/collect', site: 'test', plugins: [throwingProxy() as any, { name: 'fine' }] });
    expect(pushed.slice(from).map((e) => e.type)).toContain('page_view');
    t.destroy();
  });

  it('stays inert, without throwing, when the options object throws on every trap', () => {
    silence();
    const from = pushed.length;
    const t = createTracker(throwingProxy() as any);
    expect(() => t.track('x')).not.toThrow();
    expect(pushed.length).toBe(from);
    vi.restoreAllMocks();
  });
});

describe('huge option lists are not walked to the end', () => {
  /** An array of `n` holes that counts how many of its elements are read. */
  const counted = (n: number) => {
    const reads = { n: 0 };
    const a: unknown[] = [];
    a.length = n;
    const index = (k: unknown) => typeof k == 'string' && /^\d+$/.test(k) && reads.n++;
    // `has` too: forEach and every look for holes before they read.
    const p = new Proxy(a, { get: (t, k, r) => (index(k), Reflect.get(t, k, r)), has: (t, k) => (index(k), Reflect.has(t, k)) });
    return { p, reads };
  };

  for (const name of ['plugins', 'rules', 'stripParams']) {
    it(`looks at most at 1,000 entries of a ${name} array of length 1,000,000`, () => {
      silence();
      const { p, reads } = counted(1e6);
      const t = createTracker({ endpoint: '/collect', site: 'test', [name]: p } as any);
      t.destroy();
      vi.restoreAllMocks();
      // A page-supplied length of 2^32-1 would otherwise hang the page for minutes.
      expect(reads.n).toBeLessThanOrEqual(1000);
    });
  }
});
