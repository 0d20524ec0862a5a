import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { processNow } from '../process-now';
import { pushed } from '../trust/recording-delivery';
import type { JourneyEvent, Tracker } from '../../../src/types';
// The collector's own check: what the tracker emits must pass it (the test may import both sides; src/ never does).
// @ts-expect-error plain JavaScript without types
import { checkBatch } from '../../../examples/collector/lib/validate.js';
import { TOO_DEEP, TYPE_CUT, USER_ID_CUT } from '../../../src/lib/codes';

/** Whether a console line is the debug message `code` (README, "Debugging"). */
const said = (code: number) => (l: string) => (l + ' ').startsWith(`[journey] ${code} `);

vi.mock('../../../src/queue/queue', () => import('../trust/recording-delivery'));

const { createTracker } = await import('../../../src/tracker/tracker');
const { readOptions } = await import('../../../src/core/options');

let tracker: Tracker | undefined;
const logs: string[] = [];
const make = (o: Record<string, unknown> = {}) =>
  (tracker = processNow(createTracker({ endpoint: '/collect', site: 'test', debug: true, ...o } as any)));
// As the wire carries them: serialised, then parsed by the collector.
const accepted = (events: JourneyEvent[]) =>
  checkBatch({ v: 1, site: 'test', sent_at: Date.now(), events: JSON.parse(JSON.stringify(events)) }, Date.now());

beforeEach(() => {
  pushed.length = 0;
  logs.length = 0;
  localStorage.clear();
  document.body.innerHTML = '';
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void logs.push(a.join(' ')));
});
afterEach(() => {
  tracker?.destroy();
  vi.restoreAllMocks();
});

describe('one definition of a valid event', () => {
  it("sends 'Add to cart' as written", () => {
    make();
    tracker!.track('Add to cart');
    expect(pushed.at(-1)!.type).toBe('Add to cart');
    expect(accepted(pushed).refused).toBe(0);
  });

  it('turns control characters into spaces and cuts a type to 100 characters, saying so under debug', () => {
    make();
    tracker!.track('Add\nto\tcart\u0000');
    tracker!.track('x'.repeat(5000));
    tracker!.track('\u0085');
    expect(pushed.slice(1).map((e) => e.type)).toEqual(['Add to cart ', 'x'.repeat(100), ' ']);
    expect(logs.filter(said(TYPE_CUT))).toHaveLength(3);
    expect(accepted(pushed).refused).toBe(0);
  });

  it('sends the host name instead of a site key the collector would refuse', () => {
    const site = (v: unknown) => readOptions({ endpoint: '/c', site: v } as any, () => {})!.site;
    expect([site('my-shop'), site('shop.example:8080'), site('my shop'), site('s'.repeat(101)), site('')]).toEqual([
      'my-shop',
      'shop.example:8080',
      location.hostname,
      location.hostname,
      location.hostname,
    ]);
  });

  it("falls back to a site key the collector takes, whatever the page's host name", () => {
    // A file:// page has no host name; DNS allows 253 characters, the collector's site key 100.
    const long = 'preview-' + 'x'.repeat(100) + '.shop.example';
    for (const hostname of ['', long]) {
      vi.stubGlobal('location', { hostname });
      try {
        const site = readOptions({ endpoint: '/c' } as any, () => {})!.site;
        expect(checkBatch({ v: 1, site, events: [] }, Date.now())).not.toHaveProperty('error');
      } finally {
        vi.unstubAllGlobals();
      }
    }
  });

  it('cuts a user_id to 200 characters, saying so', () => {
    make();
    tracker!.identify('u'.repeat(300));
    tracker!.track('x');
    expect(pushed.at(-1)!.user_id).toBe('u'.repeat(200));
    expect(logs.some(said(USER_ID_CUT))).toBe(true);
  });

  it('gives ctx.track the same checks and chain limit as track()', () => {
    make({
      plugins: [
        {
          name: 'echo',
          // Tracks in answer to every event, its own included.
          setup: (ctx: any) => ctx.on('event', () => ctx.track('y'.repeat(5000))),
        },
      ],
    });
    expect(pushed.length).toBeGreaterThan(1);
    expect(pushed.length).toBeLessThan(20);
    expect(pushed.slice(1).every((e) => e.type == 'y'.repeat(100))).toBe(true);
    expect(logs.some(said(TOO_DEEP))).toBe(true);
  });

  it('says truncated: true for a long string in props, as for props over the budget', () => {
    make();
    tracker!.track('a', { note: 'x'.repeat(2000) });
    tracker!.track('b', { note: 'x' });
    const [a, b] = pushed.slice(-2);
    expect(a.truncated).toBe(true);
    expect(b.truncated).toBeUndefined();
  });

  it('says truncated: true when data-journey-props were cut on their way in', () => {
    make();
    document.body.innerHTML = `<button data-journey-event="cut" data-journey-props='{"note":"${'x'.repeat(2000)}"}'>a</button>
      <button data-journey-event="whole" data-journey-props='{"note":"x"}'>b</button>`;
    (document.querySelector('[data-journey-event=cut]') as HTMLElement).click();
    (document.querySelector('[data-journey-event=whole]') as HTMLElement).click();
    const [cut, whole] = pushed.slice(-2);
    expect([cut.type, cut.truncated, (cut.props.note as string).length]).toEqual(['cut', true, 1000]);
    expect([whole.type, whole.truncated]).toEqual(['whole', undefined]);
  });

  it('emits nothing the collector refuses, whatever track(), identify() and plugins are given', () => {
    const anything = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.string({ minLength: 90, maxLength: 300 }),
      fc.constantFrom('Add to cart', ' ', '\n', 'x'.repeat(101)),
    );
    fc.assert(
      fc.property(
        anything,
        fc.jsonValue(),
        fc.option(fc.string({ maxLength: 400, unit: 'binary' })),
        anything,
        (type, props, user, pluginType) => {
          pushed.length = 0;
          const t = make({
            plugins: [{ name: 'p', setup: (ctx: any) => ctx.on('page', () => ctx.track(pluginType, props)) }],
          });
          if (user != null) t.identify(user);
          t.track(type, props as any);
          t.track(type, { value: 1.7e308, price: -Infinity, s: 'x'.repeat(5000) });
          t.destroy();
          const r = accepted(pushed);
          expect(r.reasons).toEqual({});
          expect(r.rows.length).toBe(pushed.length);
        },
      ),
      { numRuns: 150 },
    );
  });
});
