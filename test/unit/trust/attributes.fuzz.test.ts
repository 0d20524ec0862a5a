// Fuzz: theme markup is untrusted input. Generated hostile data-journey-* attributes must give bounded, plain-JSON
// props (numbers where the README says numbers), never pollute a prototype and never throw (issue 9).
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readPageStage, readProps } from '../../../src/dom/attributes';
import { STAGES, createTally, note, plainJson, report, utf8 } from './hostile';

const log = () => {};
// FUZZ_RUNS=5000 for a deeper run; the default keeps the suite quick.
const RUNS = Number(process.env.FUZZ_RUNS) || 1000;
const NUMBERS = ['price', 'value', 'quantity', 'score'];
const COMMERCE = ['add_to_cart', 'purchase', 'view_item', 'select_item'];

const BIG_JSON = JSON.stringify(
  Object.fromEntries(Array.from({ length: 60 }, (_, i) => ['k' + i, Array.from({ length: 100 }, () => 'w'.repeat(1000))])),
);
const DEEP = '['.repeat(1e5) + ']'.repeat(1e5);
const DEEP_OBJECT = '{"a":'.repeat(5e3) + '1' + '}'.repeat(5e3);

const propName = fc.oneof(
  fc.stringMatching(/^[a-z0-9_.:-]{0,24}$/),
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'items',
    'item_id',
    'ITEM_NAME',
    'Price',
    'value',
    'quantity',
    'score',
    'x'.repeat(3000),
  ),
  fc.string({ maxLength: 10 }),
);
const attrValue = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary' }), weight: 3 },
  fc.constantFrom(
    '',
    ' ',
    'NaN',
    'Infinity',
    '-Infinity',
    '1e400',
    '0x10',
    '19,90',
    '1_000',
    '-0',
    '9'.repeat(400),
    'z'.repeat(3e6),
  ),
  fc.double().map(String),
);
const jsonAttr = fc.oneof(
  { arbitrary: fc.json(), weight: 3 },
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    '{"__proto__":{"polluted":1},"a":{"__proto__":{"polluted":1}}}',
    '{"constructor":{"prototype":{"polluted":1}}}',
    '{"price":"abc","quantity":1e400,"value":"Infinity","score":[9]}',
    '{"items":"not a list","price":5}',
    '[1,2,3]',
    'null',
    '"string"',
    BIG_JSON,
    DEEP,
    DEEP_OBJECT,
  ),
);
const eventType = fc.oneof(
  fc.constantFrom('add_to_cart', 'purchase', 'view_item', 'nps_response', 'click', 'select_item'),
  fc.string(),
);

describe('readProps with generated hostile attributes', () => {
  const tally = createTally();
  afterAll(() => report('readProps (data-journey-prop-*, data-journey-props)', tally));

  it(`tries ${RUNS} elements: no throw, plain JSON, numbers typed, at most 60,000 bytes, no pollution`, () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(propName, attrValue), { maxLength: 70 }),
        fc.option(jsonAttr),
        eventType,
        (attrs, json, type) => {
          tally.tried++;
          const el = document.createElement('button');
          for (const [k, v] of attrs) {
            try {
              el.setAttribute('data-journey-prop-' + k, v);
            } catch {
              // Not a valid attribute name: a browser would not have parsed it either.
            }
          }
          if (json != null) el.setAttribute('data-journey-props', json);
          let props: any;
          try {
            props = readProps(el, type, log);
          } catch (e) {
            tally.escaped++;
            return note(tally, 'threw ' + e, { attrs: attrs.length, json: String(json).slice(0, 80), type });
          }
          tally.events++;
          const what = {
            attrs: attrs.map(([k, v]) => [k.slice(0, 20), v.slice(0, 20)]).slice(0, 5),
            json: String(json).slice(0, 80),
            type,
          };
          if (!plainJson(props) || Array.isArray(props)) return note(tally, 'not plain JSON', what);
          const s = JSON.stringify(props);
          if (utf8(s) > 60000) note(tally, `props are ${utf8(s)} bytes`, what);
          if (Object.hasOwn(props, '__proto__')) note(tally, 'own __proto__ key', what);
          for (const k of NUMBERS)
            if (k in props && !(typeof props[k] == 'number' && isFinite(props[k])))
              note(tally, `${k} is ${typeof props[k]} ${props[k]}`, what);
          // GA4 receivers read `items` of a commerce event as a list of objects.
          if (COMMERCE.includes(type) && props.items !== undefined && !Array.isArray(props.items))
            note(tally, 'items of a commerce event is not a list', what);
        },
      ),
      { numRuns: RUNS },
    );
    expect(({} as any).polluted).toBeUndefined();
    expect(tally.tried).toBeGreaterThanOrEqual(RUNS);
    expect(tally.escaped).toBe(0);
    expect(tally.problems).toEqual([]);
  }, 300_000);
});

describe('readProps, named hostile markup', () => {
  it('keeps a 5 MB data-journey-props within 60,000 bytes', () => {
    const el = document.createElement('div');
    el.setAttribute('data-journey-props', BIG_JSON);
    const props = readProps(el, 'click', log);
    expect(utf8(JSON.stringify(props))).toBeLessThanOrEqual(60000);
  });

  it('survives JSON nested 100,000 deep and reads 5,000-deep objects bounded', () => {
    for (const json of [DEEP, DEEP_OBJECT]) {
      const el = document.createElement('div');
      el.setAttribute('data-journey-props', json);
      el.setAttribute('data-journey-prop-ok', 'yes');
      const props = readProps(el, 'click', log);
      expect(props.ok).toBe('yes');
      expect(plainJson(props)).toBe(true);
    }
  });

  it('drops price, value, quantity and score that are not finite numbers, from either attribute form', () => {
    const el = document.createElement('div');
    el.setAttribute('data-journey-props', '{"price":"abc","quantity":"Infinity","value":[5],"score":{"a":1}}');
    el.setAttribute('data-journey-prop-score', '1e400');
    const props = readProps(el, 'nps_response', log);
    for (const k of NUMBERS) expect(k in props ? Number.isFinite(props[k]) : true).toBe(true);
  });

  it('never lets __proto__ or constructor keys reach an object', () => {
    const el = document.createElement('div');
    el.setAttribute('data-journey-props', '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"ok":1}');
    el.setAttribute('data-journey-prop-__proto__', 'x');
    const props = readProps(el, 'add_to_cart', log);
    expect(props).toEqual({ ok: 1 });
    expect(({} as any).polluted).toBeUndefined();
  });
});

describe('readPageStage with generated hostile values', () => {
  const tally = createTally();
  afterAll(() => report('readPageStage (data-journey-stage)', tally));

  it(`tries ${RUNS} documents: a stage or undefined, never a throw`, () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom('html', 'body', 'div', 'main', 'template'),
            fc.oneof(
              fc.string({ unit: 'binary' }),
              fc.constantFrom(...STAGES),
              fc.constantFrom(' Conversion ', 'ADVOCACY', '__proto__', 'toString', ''),
            ),
          ),
          { maxLength: 4 },
        ),
        (marks) => {
          tally.tried++;
          document.documentElement.removeAttribute('data-journey-stage');
          document.body.removeAttribute('data-journey-stage');
          document.body.innerHTML = '';
          for (const [tag, v] of marks) {
            const el =
              tag == 'html'
                ? document.documentElement
                : tag == 'body'
                  ? document.body
                  : document.body.appendChild(document.createElement(tag));
            el.setAttribute('data-journey-stage', v);
          }
          let s: unknown;
          try {
            s = readPageStage(document, log);
          } catch (e) {
            tally.escaped++;
            return note(tally, 'threw ' + e, marks);
          }
          tally.events++;
          if (s !== undefined && !STAGES.includes(s as string)) note(tally, 'not a stage: ' + String(s), marks);
        },
      ),
      { numRuns: RUNS },
    );
    document.documentElement.removeAttribute('data-journey-stage');
    expect(tally.escaped).toBe(0);
    expect(tally.problems).toEqual([]);
  }, 120_000);
});
