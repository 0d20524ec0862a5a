import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JourneyEvent, Tracker, TrackerOptions } from '../../../src/types';

// The npm entry's createTracker over the real core; delivery is replaced by a recorder of what the core pushes.
vi.mock('../../../src/queue/queue', () => import('../trust/recording-delivery'));

let pushed: JourneyEvent[];
let createTracker: (o: TrackerOptions) => Tracker;
const made: Tracker[] = [];
const make = (o: Partial<TrackerOptions> = {}) => {
  const t = createTracker({ endpoint: '/collect', site: 'shop', ...o });
  made.push(t);
  return t;
};
const pageViews = () => pushed.filter((e) => e.type == 'page_view');

beforeEach(async () => {
  // A fresh module per test: its registry is per page, and each test is a new page.
  vi.resetModules();
  ({ createTracker } = await import('../../../src/tracker/shared'));
  // The recorder the core was given (the mocked queue module is kept across module resets).
  ({ pushed } = (await import('../../../src/queue/queue')) as unknown as { pushed: JourneyEvent[] });
  pushed.length = 0;
  localStorage.clear();
  history.replaceState(null, '', '/products/shirt');
});
afterEach(() => {
  for (const t of made.splice(0)) t.destroy();
  vi.restoreAllMocks();
});

describe('createTracker (npm entry): one tracker per endpoint and site on a page', () => {
  it('sends one page_view for create, destroy, create (React StrictMode, hot reload)', () => {
    make().destroy();
    const t = make();
    void t.stage;
    expect(pageViews()).toHaveLength(1);
    // Later page views of the second tracker are sent.
    history.pushState(null, '', '/cart');
    expect(pageViews().map((e) => new URL(e.url).pathname)).toEqual(['/products/shirt', '/cart']);
  });

  it('hands back the live tracker to a second call, and says so under debug', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const a = make();
    const b = make({ debug: true, plugins: [] });
    expect(b).toBe(a);
    expect(log).toHaveBeenCalledWith('[journey]', 'second tracker: the first is used', '/collect shop');
    document.body.innerHTML = '<button data-journey-event="share">Share</button>';
    document.querySelector('button')!.click();
    void a.stage;
    expect(pushed.map((e) => e.type).filter((x) => x != 'stage_change')).toEqual(['page_view', 'share']);
  });

  it('keeps trackers of another site or endpoint apart', () => {
    const a = make();
    const b = make({ site: 'other' });
    const c = make({ endpoint: '/elsewhere' });
    expect(new Set([a, b, c]).size).toBe(3);
    expect(pageViews().map((e) => e.props.source)).toHaveLength(3);
  });

  it('makes a new tracker once the first is destroyed, and a page view of a new URL is sent', () => {
    const a = make();
    a.destroy();
    history.pushState(null, '', '/checkout');
    const b = make();
    expect(b).not.toBe(a);
    expect(pageViews().map((e) => new URL(e.url).pathname)).toEqual(['/products/shirt', '/checkout']);
  });

  it("does not show the page_view it holds back to the app's plugins", () => {
    make().destroy();
    const seen: string[] = [];
    make({ plugins: [{ name: 'mine', beforeSend: (e) => (seen.push(e.type), e) }] });
    expect(seen).not.toContain('page_view');
    expect(pageViews()).toHaveLength(1);
  });

  it('names an unknown option under debug only (plain JavaScript has no compile error for it)', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    make({ endpiont: '/x' } as Partial<TrackerOptions>).destroy();
    expect(warn).not.toHaveBeenCalled();
    make({ debug: true, endpiont: '/x' } as Partial<TrackerOptions>);
    expect(warn).toHaveBeenCalledWith(
      '[journey] unknown option',
      'endpiont',
      'ignored; options are',
      expect.stringContaining('endpoint'),
    );
  });
});
