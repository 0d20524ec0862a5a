import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Tracker } from '../../../src/types';
import { checkMarkup, closeMatch, debug, distance } from '../../../src/plugins/debug';

// The debug plugin on the real core; delivery is replaced by a recorder.
vi.mock('../../../src/queue/queue', () => import('../trust/recording-delivery'));
const { createTracker } = await import('../../../src/tracker/tracker');

let info: ReturnType<typeof vi.spyOn>;
let warn: ReturnType<typeof vi.spyOn>;
let tracker: Tracker | undefined;

beforeEach(() => {
  info = vi.spyOn(console, 'info').mockImplementation(() => {});
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  localStorage.clear();
  history.replaceState(null, '', '/');
  document.head.innerHTML = '';
  document.body.innerHTML = '';
});
afterEach(() => {
  tracker?.destroy();
  tracker = undefined;
  vi.restoreAllMocks();
  delete (globalThis as any).PerformanceObserver;
  delete (navigator as any).globalPrivacyControl;
});

describe('debug(): what the tracker does, on the console', () => {
  it('names each page view with its URL and stage, each stage change, and each event with its props', () => {
    tracker = createTracker({ endpoint: '/collect', site: 's', plugins: [debug()] });
    tracker.track('add_to_cart', { value: 5, currency: 'EUR' });
    void tracker.stage;
    expect(info.mock.calls).toEqual([
      ['[journey]', 'page view', location.href, 'stage:', 'awareness'],
      ['[journey]', 'add_to_cart', { value: 5, currency: 'EUR' }, 'stage:', 'conversion'],
      ['[journey]', 'stage', 'awareness', '→', 'conversion'],
    ]);
  });

  it('names each batch sent to the endpoint with its answer and size, and no other request', () => {
    let report: (list: { getEntries(): unknown[] }) => void = () => {};
    (globalThis as any).PerformanceObserver = class {
      constructor(fn: typeof report) {
        report = fn;
      }
      observe() {}
      disconnect() {}
    };
    tracker = createTracker({ endpoint: '/collect', site: 's', plugins: [debug({ endpoint: '/collect' })] });
    info.mockClear();
    const at = (path: string) => new URL(path, location.href).href;
    report({
      getEntries: () => [
        { name: at('/collect'), initiatorType: 'fetch', responseStatus: 200, encodedBodySize: 120 },
        { name: at('/collect'), initiatorType: 'beacon', responseStatus: 0, encodedBodySize: 0 },
        { name: at('/other'), initiatorType: 'fetch', responseStatus: 200, encodedBodySize: 9 },
      ],
    });
    expect(info.mock.calls).toEqual([
      ['[journey]', 'batch by', 'fetch', 'to', at('/collect'), 'answer:', 200, '120 B'],
      ['[journey]', 'batch by', 'beacon', 'to', at('/collect'), 'answer:', 'unknown', '0 B'],
    ]);
  });

  it('warns of a misspelt data-journey-* attribute, naming the element and the close match', () => {
    document.body.innerHTML =
      '<button data-journey-evnt="share">a</button><div data-jorney-view="view_item"></div><a data-journey-colour="x"></a>' +
      '<p data-journey-prop-anything="1" data-journey-event="share" data-foo="1" data-toggle="x"></p>';
    const [button, div, a] = Array.from(document.body.children);
    expect(checkMarkup(document)).toBe(3);
    expect(warn.mock.calls).toEqual([
      ['[journey]', 'unknown attribute', 'data-journey-evnt', 'on', button, 'ignored: did you mean data-journey-event?'],
      ['[journey]', 'unknown attribute', 'data-jorney-view', 'on', div, 'ignored: did you mean data-journey-view?'],
      ['[journey]', 'unknown attribute', 'data-journey-colour', 'on', a, 'ignored'],
    ]);
  });

  it("warns of an unknown setting on the main tag, with the close match, and not of the tag's known ones", () => {
    document.head.innerHTML =
      '<script src="/journey.min.js" data-endpoint="/c" data-endpiont="/d" data-sit="s" data-site="s" data-spa="false"></script>';
    const tag = document.querySelector('script');
    expect(checkMarkup(document)).toBe(2);
    expect(warn.mock.calls).toEqual([
      ['[journey]', 'unknown setting', 'data-endpiont', 'on', tag, 'ignored: did you mean data-endpoint?'],
      ['[journey]', 'unknown setting', 'data-sit', 'on', tag, 'ignored: did you mean data-site?'],
    ]);
  });

  it('checks the markup when the plugin starts', () => {
    document.body.innerHTML = '<button data-journey-evnt="share">a</button>';
    tracker = createTracker({ endpoint: '/collect', site: 's', plugins: [debug()] });
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('measures closeness by edits', () => {
    expect(distance('kitten', 'sitting')).toBe(3);
    expect(distance('', 'abc')).toBe(3);
    expect(closeMatch('data-journey-evnt', ['data-journey-view', 'data-journey-event'])).toBe('data-journey-event');
    expect(closeMatch('data-journey-colour', ['data-journey-view', 'data-journey-event'])).toBeUndefined();
  });

  it('the add-on tag says once why nothing is sent under Global Privacy Control', async () => {
    (navigator as any).globalPrivacyControl = true;
    vi.resetModules();
    await import('../../../src/script-debug');
    expect(info.mock.calls).toEqual([
      [
        '[journey] off: Global Privacy Control or Do Not Track is on in this browser; nothing is stored or sent. Test in a profile without it.',
      ],
    ]);
    delete (window as any).journey;
  });
});
