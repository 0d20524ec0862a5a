import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MetricType } from 'web-vitals';
import { createFake, type Fake } from './fake-context';

const reporters = vi.hoisted(() => ({}) as Record<string, (m: Partial<MetricType>) => void>);
vi.mock('web-vitals', () => {
  const on = (name: string) => (fn: (m: Partial<MetricType>) => void) => void (reporters[name] = fn);
  return { onLCP: on('LCP'), onINP: on('INP'), onCLS: on('CLS'), onFCP: on('FCP'), onTTFB: on('TTFB') };
});
const { webVitals } = await import('../../../src/plugins/web-vitals');

let fake: Fake;
afterEach(() => fake.destroy());

describe('webVitals', () => {
  it('subscribes to all five metrics and tracks web_vital with rounded values and the current stage', () => {
    fake = createFake({ stage: 'conversion' }).use(webVitals());
    expect(Object.keys(reporters).sort()).toEqual(['CLS', 'FCP', 'INP', 'LCP', 'TTFB']);
    reporters.LCP({ name: 'LCP', value: 2512.6, rating: 'needs-improvement', id: 'v1-1' });
    reporters.CLS({ name: 'CLS', value: 0.123456, rating: 'needs-improvement', id: 'v1-2' });
    reporters.INP({ name: 'INP', value: 40.4, rating: 'good', id: 'v1-3' });
    const sent = fake.of('web_vital');
    expect(sent.map((e) => e.props)).toEqual([
      { name: 'LCP', value: 2513, rating: 'needs-improvement', id: 'v1-1' },
      { name: 'CLS', value: 0.1235, rating: 'needs-improvement', id: 'v1-2' },
      { name: 'INP', value: 40, rating: 'good', id: 'v1-3' },
    ]);
    expect(sent.every((e) => e.stage == 'conversion')).toBe(true);
  });

  it('reports nothing after teardown (web-vitals has no unsubscribe)', () => {
    fake = createFake().use(webVitals());
    fake.destroy();
    reporters.TTFB({ name: 'TTFB', value: 80, rating: 'good', id: 'x' });
    expect(fake.of('web_vital')).toEqual([]);
  });
});
