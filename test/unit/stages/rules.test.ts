import { describe, expect, it } from 'vitest';
import { compileRules, globSource } from '../../../src/stages/rules';

const at = (path: string) => new URL(path, 'https://shop.example');
const collect = () => {
  const messages: unknown[][] = [];
  return { log: (...a: unknown[]) => void messages.push(a), messages };
};

describe('glob rules', () => {
  const table: [string, string, boolean][] = [
    ['/products/*', '/products/shirt', true],
    ['/products/*', '/products/shirt/', true], // trailing slash tolerant
    ['/products/*', '/products/', true], // `*` may be empty
    ['/products/*', '/products/shirt/red', false], // `*` stays in its segment
    ['/products/*', '/products-we-love/shirt', false],
    ['/products/*', '/en/products/shirt', false], // anchored at the start
    ['/products/**', '/products/shirt/red', true],
    ['/products/**', '/products', true],
    ['/products/**', '/productsx', false],
    ['/a/**/b', '/a/b', true],
    ['/a/**/b', '/a/x/y/b', true],
    ['/a/**/b', '/a/x/y/c', false],
    ['**/thanks', '/checkout/thanks', true],
    ['**/thanks', '/thanks', true],
    ['/shop/', '/shop', true],
    ['/shop', '/shop/', true],
    ['/', '/', true],
    ['/', '/x', false],
    ['shop/*', '/shop/x', true], // leading slash optional
    ['/PRODUCTS/*', '/products/shirt', true], // case-insensitive
    ['/p/*.html', '/p/shirt.html', true],
    ['/p/*.html', '/p/shirtxhtml', false], // the dot is literal
    ['/p/(a|b)', '/p/(a|b)', true], // regex characters are literal in globs
    ['/p/(a|b)', '/p/a', false],
    ['/p/[x]+', '/p/[x]+', true],
    ['/search', '/search?q=shirt', true], // globs see the path only
  ];
  it.each(table)('%s on %s -> %s', (match, path, hit) => {
    const m = compileRules([{ match, event: 'hit' }], () => {});
    expect(m(at(path)).event === 'hit').toBe(hit);
  });

  it('compiles a glob to an anchored source', () => {
    expect(globSource('/a/*/b/**')).toBe('^/a/[^/]*/b(?:/.*)?/?$');
  });

  it('collapses a run of three or more `*` to `**` (fifty of them would backtrack for minutes)', () => {
    expect(globSource('/a/' + '*'.repeat(50) + 'x')).toBe(globSource('/a/**x'));
    expect(globSource('/a/***')).toBe(globSource('/a/**'));
    // Two stay two: `*` and `**` keep their meanings.
    expect(globSource('/a/**')).not.toBe(globSource('/a/*'));
  });
});

describe('re: rules', () => {
  it('tests path and query', () => {
    const m = compileRules([{ match: 're:^/search\\?q=', stage: 'consideration', event: 'search' }], () => {});
    expect(m(at('/search?q=shirt'))).toEqual({ stage: 'consideration', event: 'search' });
    expect(m(at('/search')).event).toBeUndefined();
  });

  it('is case-insensitive', () => {
    const m = compileRules([{ match: 're:/LANDING$', event: 'landing' }], () => {});
    expect(m(at('/promo/landing')).event).toBe('landing');
  });

  it('drops an invalid regex with a log message instead of throwing', () => {
    const { log, messages } = collect();
    const m = compileRules(
      [
        { match: 're:([', event: 'x' },
        { match: '/ok', event: 'ok' },
      ],
      log,
    );
    expect(messages.length).toBe(1);
    expect(m(at('/ok')).event).toBe('ok');
  });
});

describe('precedence', () => {
  it('takes each field from the first matching rule that has it', () => {
    const m = compileRules(
      [
        { match: '/p/special', event: 'view_special' },
        { match: '/p/*', stage: 'advocacy', event: 'view_item' },
        { match: '/p/**', stage: 'conversion' },
      ],
      () => {},
    );
    expect(m(at('/p/special'))).toEqual({ stage: 'advocacy', event: 'view_special' });
    expect(m(at('/p/other'))).toEqual({ stage: 'advocacy', event: 'view_item' });
    expect(m(at('/p/a/b'))).toEqual({ stage: 'conversion' });
  });

  it('puts user rules before the defaults', () => {
    const m = compileRules([{ match: '/cart', stage: 'consideration' }], () => {});
    expect(m(at('/cart')).stage).toBe('consideration');
    expect(compileRules(undefined, () => {})(at('/cart')).stage).toBe('conversion');
  });

  it('a user rule with only an event keeps the default stage', () => {
    const m = compileRules([{ match: '/products/*', event: 'view_item' }], () => {});
    expect(m(at('/products/shirt'))).toEqual({ stage: 'consideration', event: 'view_item' });
  });

  it('returns nothing for a page no rule knows', () => {
    expect(compileRules([], () => {})(at('/about-us'))).toEqual({});
  });
});

describe('untrusted rules', () => {
  it.each([
    ['a string', 'nope'],
    ['an object', { match: '/x', stage: 'conversion' }],
    ['a number', 42],
  ])('ignores %s instead of an array, with a log message', (_, rules) => {
    const { log, messages } = collect();
    const m = compileRules(rules, log);
    expect(messages.length).toBe(1);
    expect(m(at('/x'))).toEqual({});
    expect(m(at('/cart')).stage).toBe('conversion'); // defaults still work
  });

  it('accepts no rules silently', () => {
    const { log, messages } = collect();
    compileRules(undefined, log);
    compileRules(null, log);
    expect(messages).toEqual([]);
  });

  it('drops bad rules one by one and keeps the good ones', () => {
    const { log, messages } = collect();
    const hostile = Object.defineProperty({}, 'match', {
      get() {
        throw new Error('boom');
      },
    });
    const m = compileRules(
      [
        null,
        7,
        'x',
        [],
        {},
        { match: '', stage: 'conversion' },
        { match: 5, stage: 'conversion' },
        { match: '/x' }, // neither stage nor event
        { match: '/x', stage: 'checkout' }, // unknown stage
        { match: '/x', stage: '__proto__' },
        { match: '/x', event: 12 },
        { match: '/x', event: '' },
        hostile,
        { match: '/x', stage: 'advocacy', event: 'x_seen' },
      ],
      log,
    );
    expect(messages.length).toBe(13);
    expect(m(at('/x'))).toEqual({ stage: 'advocacy', event: 'x_seen' });
  });

  it('keeps working with 50 rules, first match winning', () => {
    const rules = Array.from({ length: 50 }, (_, i) =>
      i % 2 ? { match: `/section-${i}/**`, event: `e${i}` } : { match: `re:^/r${i}/\\d+$`, stage: 'advocacy' as const },
    );
    const m = compileRules(rules, () => {});
    for (let i = 0; i < 50; i++) {
      const r = m(at(i % 2 ? `/section-${i}/a/b` : `/r${i}/123`));
      if (i % 2) expect(r).toEqual({ event: `e${i}` });
      else expect(r).toEqual({ stage: 'advocacy' });
    }
    // the defaults still come after all of them
    expect(m(at('/section-49/cart'))).toEqual({ event: 'e49', stage: 'conversion' });
    expect(m(at('/r2/abc'))).toEqual({});
  });
});
