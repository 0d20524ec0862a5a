// Fuzz: `data-rules` is JSON a shop pastes into an attribute, and `rules` anything a page passes. compileRules must
// drop the junk with a debug message, keep the good rules and the defaults working, and never throw (issue 9).
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileRules } from '../../../src/stages/rules';
import { STAGES, build, createTally, describe as show, hostile, note, report } from './hostile';

// FUZZ_RUNS=5000 for a deeper run; the default keeps the suite quick.
const RUNS = Number(process.env.FUZZ_RUNS) || 1000;
const log = () => {};
const defaults = compileRules([], log);

// Globs and regexes from an alphabet that can say something about a path. Few `*` and no nested quantifiers:
// a pathological pattern backtracks for minutes (see the note on ReDoS in the fixes list), which would hang
// the suite rather than fail it.
const glob = fc
  .array(
    fc.constantFrom(
      '/',
      'a',
      'b',
      'products',
      'cart',
      '*',
      '**',
      '.',
      '?',
      '(',
      ')',
      '[',
      ']',
      '\\',
      '$',
      '^',
      '+',
      '{',
      '}',
      '|',
      '%',
      'é',
    ),
    { maxLength: 12 },
  )
  .map((p) => p.join(''))
  .filter((g) => (g.match(/\*/g) || []).length <= 4);
const regex = fc
  .array(
    fc.constantFrom(
      '^',
      '$',
      '/',
      'a',
      'b',
      'cart',
      '.',
      '.*',
      '[',
      ']',
      '(',
      ')',
      '(?:',
      '?',
      '|',
      '\\',
      '\\d',
      '{2}',
      '{',
      '}',
      '+',
      'x*',
      '(?=',
      '(?<',
    ),
    { maxLength: 10 },
  )
  .map((p) => 're:' + p.join(''))
  .filter((r) => !/\)[*+{?]|[*+]\)?[*+{]/.test(r));
const stage = fc.oneof(
  fc.constantFrom(...STAGES),
  fc.constantFrom('', 'Conversion', 'purchase', '__proto__', 'toString'),
  fc.anything(),
);
const rule = fc.oneof(
  {
    arbitrary: fc.record(
      { match: fc.oneof(glob, regex), stage, event: fc.oneof(fc.string(), fc.anything()) },
      { requiredKeys: [] },
    ),
    weight: 4,
  },
  hostile,
);
const rules = fc.oneof(
  { arbitrary: fc.array(rule, { maxLength: 8 }), weight: 4 },
  hostile,
  fc.json().map((j) => ({ json: j })),
);
const path = fc
  .array(fc.constantFrom('products', 'cart', 'a', 'b', 'checkout', 'account', '%2F', 'é', '..', ''), { maxLength: 5 })
  .map((p) => '/' + p.join('/'));

describe('compileRules with generated junk', () => {
  const tally = createTally();
  afterAll(() => report('compileRules (data-rules / rules)', tally));

  it(`tries ${RUNS} rule lists: no throw; matches give a stage or nothing and a string event or nothing`, () => {
    fc.assert(
      fc.property(rules, fc.array(path, { minLength: 1, maxLength: 3 }), fc.string({ maxLength: 20 }), (recipe, paths, query) => {
        tally.tried++;
        let input: unknown;
        try {
          // The script tag's path: a JSON attribute, parsed as it does (JSON.parse, junk on failure).
          input =
            recipe && typeof recipe == 'object' && 'json' in (recipe as object)
              ? JSON.parse((recipe as any).json)
              : build(recipe);
        } catch {
          input = undefined;
        }
        try {
          const match = compileRules(input, log);
          for (const p of paths) {
            const m = match(new URL('https://shop.example' + p + '?' + encodeURIComponent(query)));
            tally.events++;
            if (m.stage !== undefined && !STAGES.includes(m.stage)) note(tally, 'stage ' + String(m.stage), show(recipe));
            if (m.event !== undefined && (typeof m.event != 'string' || !m.event))
              note(tally, 'event ' + typeof m.event, show(recipe));
          }
        } catch (e) {
          tally.escaped++;
          note(tally, 'threw ' + e, show(recipe));
        }
      }),
      { numRuns: RUNS },
    );
    expect(tally.escaped).toBe(0);
    expect(tally.problems).toEqual([]);
  }, 120_000);

  it('keeps the defaults working behind any list of invalid rules', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(hostile, fc.record({ match: fc.constantFrom('', 'x'), stage: fc.constantFrom('nope', 7, null) })), {
          maxLength: 6,
        }),
        (recipe) => {
          const valid = (r: any) => {
            try {
              return (
                r &&
                typeof r == 'object' &&
                typeof r.match == 'string' &&
                r.match &&
                (STAGES.includes(r.stage) || typeof r.event == 'string')
              );
            } catch {
              return false; // a throwing Proxy or getter: junk too
            }
          };
          const junk = (build(recipe) as unknown[]).filter((r) => !valid(r));
          const match = compileRules(junk, log);
          for (const p of ['/cart', '/products/shirt', '/account', '/']) {
            const u = new URL('https://shop.example' + p);
            expect(match(u)).toEqual(defaults(u));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps the good rules of a list that also holds junk, in order, before the defaults', () => {
    const match = compileRules(
      [
        null,
        7,
        'x',
        { match: 're:(', stage: 'consideration' },
        { match: '/cart', stage: 'nope' },
        { match: '/cart', stage: 'advocacy' },
        { match: '/cart', stage: 'retention' },
      ],
      log,
    );
    expect(match(new URL('https://shop.example/cart')).stage).toBe('advocacy');
    expect(match(new URL('https://shop.example/products/x')).stage).toBe('consideration');
  });

  it('treats a data-rules value that is not a list as no rules', () => {
    for (const v of [{ match: '/cart', stage: 'advocacy' }, '/cart', 42, true]) {
      expect(compileRules(v, log)(new URL('https://shop.example/cart')).stage).toBe(
        defaults(new URL('https://shop.example/cart')).stage,
      );
    }
  });
});
