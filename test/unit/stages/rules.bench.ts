import { bench, describe } from 'vitest';
import { compileRules } from '../../../src/stages/rules';
import { nextStage, stageOfEvent } from '../../../src/stages/stage';

// Run: npx vitest bench --run --config test/vitest.config.mts --project unit test/unit/stages
// 50 user rules (half globs, half regexes) that all miss, so every rule and the defaults are tried.
const rules = Array.from({ length: 50 }, (_, i) =>
  i % 2 ? { match: `/section-${i}/**/*.html`, event: `e${i}` } : { match: `re:^/r${i}/\\d+(\\?|$)`, stage: 'advocacy' as const },
);
const match = compileRules(rules, () => {});
const urls = ['/products/classic-tee?variant=1', '/checkout/order-received/12/?key=x', '/blog/how-to-cart-a-horse', '/'].map(
  (p) => new URL(p, 'https://shop.example'),
);
let i = 0;

describe('stage evaluation per event, 50 rules', () => {
  bench('URL rules + event stage + transition', () => {
    const url = urls[i++ & 3];
    const page = match(url);
    nextStage(nextStage('awareness', page.stage, false), stageOfEvent('add_to_cart', {}), false);
  });
  bench('event stage + transition only (no page change)', () => {
    nextStage('consideration', stageOfEvent('add_to_cart', {}), false);
  });
});
