import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { processNow } from '../process-now';
import type { JourneyEvent, Tracker } from '../../../src/types';

// The core is tested on its own: the delivery module is replaced by a recorder of what the core pushes.
const pushed: JourneyEvent[] = [];
const delivery = { hold: false, released: 0, erased: 0, flushed: 0, failLeave: 0, pushedAtFlush: [] as string[][] };
vi.mock('../../../src/queue/queue', () => ({
  createDelivery: (o: { hold: boolean }) => {
    delivery.hold = o.hold;
    return {
      push: (e: JourneyEvent) => {
        // A script cut short while queuing the page_leave (Firefox aborts it when the tab's process shuts down).
        if (e.type == 'page_leave' && delivery.failLeave && delivery.failLeave--) throw new Error('aborted');
        pushed.push(JSON.parse(JSON.stringify(e)));
      },
      flush: async () => {
        delivery.flushed++;
        // What was queued when the flush began: a flush sends what was tracked before it.
        delivery.pushedAtFlush.push(pushed.map((e) => e.type));
      },
      release: () => void delivery.released++,
      erase: async () => void delivery.erased++,
      destroy: () => {},
    };
  },
}));

const { createTracker } = await import('../../../src/tracker/tracker');

const types = () => pushed.map((e) => e.type);
let tracker: Tracker | undefined;
const make = (o: Record<string, unknown> = {}) =>
  (tracker = processNow(createTracker({ endpoint: '/collect', site: 'test', ...o } as any)));

beforeEach(() => {
  pushed.length = 0;
  Object.assign(delivery, { hold: false, released: 0, erased: 0, flushed: 0, failLeave: 0, pushedAtFlush: [] });
  localStorage.clear();
  history.replaceState(null, '', '/');
  document.body.innerHTML = '';
  document.body.removeAttribute('data-journey-stage');
  delete (navigator as any).globalPrivacyControl;
  document.title = 'Home';
});
afterEach(() => tracker?.destroy());

describe('createTracker', () => {
  it('sends a page_view with every contract field on start', () => {
    make();
    expect(types()).toEqual(['page_view']);
    const e = pushed[0];
    expect(e.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(e).toMatchObject({ type: 'page_view', stage: 'awareness', url: location.href, referrer: '', title: 'Home' });
    expect(typeof e.time).toBe('number');
    expect(e.visitor_id).toHaveLength(26);
    expect(e.session_id).toHaveLength(26);
    // The traffic source is the collector's to derive (README, "The wire format"): the tag sends none.
    expect(e.props).toEqual({});
  });

  it('follows a title the page changes, scrubbed each time it changes', () => {
    make();
    tracker!.track('a');
    document.title = 'Order for jane@example.com';
    tracker!.track('b');
    tracker!.track('c');
    document.title = 'Thanks';
    tracker!.track('d');
    expect(pushed.map((e) => e.title)).toEqual(['Home', 'Home', 'Order for [email]', 'Order for [email]', 'Thanks']);
  });

  it('sends the first page referrer cleaned like a URL', () => {
    const ref = vi.spyOn(document, 'referrer', 'get').mockReturnValue('https://other.example/r?token=abc&q=jane@example.com');
    make();
    ref.mockRestore();
    expect(pushed[0].referrer).not.toMatch(/abc|jane@/);
    expect(pushed[0].referrer).toMatch(/^https:\/\/other\.example\/r/);
  });

  it('ignores a plugin beforeSend that returns neither an event nor null', () => {
    make({ plugins: [{ name: 'odd', beforeSend: () => 42 }] });
    tracker!.track('x');
    expect(pushed.map((e) => e.type)).toEqual(['page_view', 'x']);
  });

  it('starts and sends its page_view when a plugin entry throws on access', () => {
    const bad = new Proxy(
      {},
      {
        get: () => {
          throw new Error('no');
        },
      },
    );
    make({ plugins: [bad, { name: 'fine' }] });
    expect(types()).toEqual(['page_view']);
  });

  it('stays inert, without throwing, when the options object throws', () => {
    const o = new Proxy(
      {},
      {
        get: () => {
          throw new Error('no');
        },
      },
    );
    expect(() => createTracker(o as any).track('x')).not.toThrow();
  });

  it('stays inert without an endpoint and warns once', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const t = processNow(createTracker({} as any));
    t.track('x');
    expect(pushed).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });

  it('gives every event a unique id and the same visitor and session', () => {
    make();
    for (let i = 0; i < 100; i++) tracker!.track('click', { i });
    expect(new Set(pushed.map((e) => e.id)).size).toBe(101);
    expect(new Set(pushed.map((e) => e.visitor_id)).size).toBe(1);
    expect(new Set(pushed.map((e) => e.session_id)).size).toBe(1);
  });

  it('sets user_id on every event after identify', () => {
    make();
    tracker!.track('a');
    tracker!.identify('user-7');
    tracker!.track('b');
    expect(pushed[1].user_id).toBeUndefined();
    expect(pushed[2].user_id).toBe('user-7');
  });

  it('queues one page_leave on pagehide, also when the first pagehide listener is cut short', () => {
    make();
    delivery.failLeave = 1;
    // The first listener's error reaches the window, as an aborted script's would not: keep it out of the run.
    const quiet = (e: Event) => e.preventDefault();
    addEventListener('error', quiet);
    dispatchEvent(new Event('pagehide'));
    removeEventListener('error', quiet);
    const leaves = pushed.filter((e) => e.type == 'page_leave');
    expect(leaves.length).toBeGreaterThan(0);
    // Queued again by the second listener under the same id: never two page_leave events for one page.
    expect(new Set(leaves.map((e) => e.id)).size).toBe(1);
  });

  it("keeps a new visitor's stage when the first stage change is a purchase without a transaction id", () => {
    make();
    tracker!.track('purchase', { value: 10, currency: 'EUR' });
    expect(tracker!.stage).toBe('conversion');
    tracker!.destroy();
    // The next page reads the stage back from the stored profile.
    make();
    expect(tracker!.stage).toBe('conversion');
  });

  it("sends the page's own page_leave on pagehide even after the host tracked a 'page_leave' of its own", () => {
    make();
    tracker!.track<string>('page_leave', { mine: 1 });
    dispatchEvent(new Event('pagehide'));
    const leaves = pushed.filter((e) => e.type == 'page_leave');
    expect(leaves).toHaveLength(2);
    expect(typeof leaves[1].props.engaged_ms).toBe('number');
  });

  it('moves the stage with events and emits stage_change and the stage listener', () => {
    make();
    const changes: unknown[] = [];
    tracker!.on('stage', (c) => changes.push(c));
    tracker!.track('view_item', { items: [{ item_id: 'A' }] });
    tracker!.track('add_to_cart', { value: 10, currency: 'EUR' });
    expect(tracker!.stage).toBe('conversion');
    expect(types()).toEqual(['page_view', 'view_item', 'stage_change', 'add_to_cart', 'stage_change']);
    expect(pushed[2]).toMatchObject({ stage: 'consideration', props: { from: 'awareness', to: 'consideration' } });
    expect(pushed[3].stage).toBe('conversion');
    expect(changes).toEqual([
      { from: 'awareness', to: 'consideration' },
      { from: 'consideration', to: 'conversion' },
    ]);
  });

  it('keeps the stage across reloads (a new tracker on the same storage)', () => {
    make();
    tracker!.track('add_to_cart');
    tracker!.destroy();
    pushed.length = 0;
    make();
    expect(pushed[0]).toMatchObject({ type: 'page_view', stage: 'conversion' });
  });

  it('never sends a second purchase for a transaction it already tracked, even after a reload', () => {
    make();
    tracker!.track('purchase', { transaction_id: 'T-1', value: 5 });
    tracker!.track('purchase', { transaction_id: 'T-1', value: 5 });
    tracker!.destroy();
    make();
    tracker!.track('purchase', { transaction_id: 'T-1', value: 5 });
    tracker!.track('purchase', { transaction_id: 'T-2', value: 5 });
    expect(pushed.filter((e) => e.type == 'purchase').map((e) => e.props.transaction_id)).toEqual(['T-1', 'T-2']);
  });

  it('sends page views on pushState but not on a replaceState that keeps the URL', () => {
    make();
    history.pushState(null, '', '/products/shirt');
    history.replaceState({ scroll: 1 }, '', '/products/shirt');
    expect(types()).toEqual(['page_view', 'page_leave', 'page_view', 'stage_change']);
    expect(pushed[2]).toMatchObject({
      url: location.origin + '/products/shirt',
      referrer: location.origin + '/',
      stage: 'consideration',
    });
    expect(typeof pushed[1].props.engaged_ms).toBe('number');
  });

  it('carries utm_* and ref on the first page view of a session only, and no source', () => {
    history.replaceState(null, '', '/?utm_source=newsletter&utm_medium=email&utm_campaign=nov&ref=anna');
    make();
    expect(pushed[0].props).toEqual({
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'nov',
      ref: 'anna',
    });
    history.pushState(null, '', '/collections/all');
    const second = pushed.filter((e) => e.type == 'page_view')[1];
    expect(second.props.utm_source).toBeUndefined();
  });

  it('the page attribute wins for the page view', () => {
    document.body.setAttribute('data-journey-stage', 'retention');
    make();
    expect(pushed[0].stage).toBe('retention');
  });

  it('a buyer starts the next session in retention and stays there while browsing', () => {
    make({ sessionTimeout: 1 });
    tracker!.track('purchase', { transaction_id: 'T-9' });
    tracker!.destroy();
    // 2 minutes later: a new session
    const now = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(now + 2 * 60000);
    pushed.length = 0;
    make({ sessionTimeout: 1 });
    expect(pushed[0].stage).toBe('retention');
    expect(types()).toContain('stage_change');
    tracker!.track('view_item');
    expect(tracker!.stage).toBe('retention');
    tracker!.track('add_to_cart');
    expect(tracker!.stage).toBe('conversion');
    vi.restoreAllMocks();
  });

  it('with consent pending, holds everything; a grant is remembered, a refusal erases', () => {
    make({ consent: 'pending' });
    expect(delivery.hold).toBe(true);
    expect(localStorage.length).toBe(0);
    tracker!.consent(true);
    expect(delivery.released).toBe(1);
    expect(localStorage.getItem('journey:consent')).toBe('1');
    tracker!.destroy();
    make({ consent: 'pending' });
    expect(delivery.hold).toBe(false);
    tracker!.consent(false);
    expect(delivery.erased).toBe(1);
    expect(localStorage.length).toBe(0);
    const before = pushed.length;
    tracker!.track('after_refusal');
    expect(pushed.length).toBe(before);
  });

  it('honours Global Privacy Control unless told otherwise, and says so once without debug', () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    (navigator as any).globalPrivacyControl = true;
    make();
    expect(pushed).toEqual([]);
    expect(info.mock.calls).toEqual([['[journey] off: GPC/DNT']]);
    info.mockRestore();
    make({ privacySignals: false });
    expect(types()).toEqual(['page_view']);
    delete (navigator as any).globalPrivacyControl;
  });

  it('runs beforeSend in plugin order, lets a plugin drop an event, and switches off a throwing plugin', () => {
    const order: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    make({
      debug: true,
      plugins: [
        { name: 'a', beforeSend: (e: JourneyEvent) => (order.push('a'), { ...e, props: { ...e.props, a: 1 } }) },
        {
          name: 'boom',
          beforeSend: () => {
            throw new Error('x');
          },
        },
        { name: 'b', beforeSend: (e: JourneyEvent) => (order.push('b'), e.type == 'secret' ? null : e) },
      ],
    });
    tracker!.track('secret');
    tracker!.track('open');
    expect(types()).toEqual(['page_view', 'open']);
    expect(pushed[1].props.a).toBe(1);
    expect(order).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
    expect(log.mock.calls.some((c) => String(c.join(' ')).includes('boom'))).toBe(true);
    log.mockRestore();
  });

  it('gives plugins a context: track, stage, on, state', () => {
    let seen: any;
    make({
      plugins: [
        {
          name: 'probe',
          setup(ctx: any) {
            ctx.on('event', (e: JourneyEvent) => e.type == 'ping' && ctx.track('pong'));
            ctx.state().set({ n: 1 });
            seen = ctx;
          },
        },
      ],
    });
    tracker!.track('ping');
    expect(types()).toEqual(['page_view', 'ping', 'pong']);
    expect(seen.stage).toBe('awareness');
    expect(seen.session).toBe(pushed[0].session_id);
    expect(seen.state().get()).toEqual({ n: 1 });
  });

  it('no method throws into the page, whatever it is given', () => {
    const t = make();
    const hostile: any = {};
    hostile.self = hostile;
    expect(() => {
      t.track(undefined as any);
      t.track({} as any, hostile);
      t.track('x', hostile);
      t.page(5 as any);
      t.identify({
        toString: () => {
          throw new Error('x');
        },
      } as any);
      t.use(null as any);
      t.use({
        name: 'bad',
        setup: () => {
          throw new Error('x');
        },
      });
      t.on(null as any, null as any)();
      t.consent('yes' as any);
    }).not.toThrow();
    expect(
      createTracker(
        Object.defineProperty({}, 'endpoint', {
          get: () => {
            throw new Error('x');
          },
        }) as any,
      ),
    ).toBeTruthy();
  });
});

describe('props over the budget', () => {
  it('are cut and the event says so with truncated: true', () => {
    make();
    const big: Record<string, string> = {};
    for (let i = 0; i < 90; i++) big['k' + i] = 'x'.repeat(900);
    tracker!.track('big', big);
    tracker!.track('small', { a: 1 });
    const [bigEvent, small] = pushed.slice(-2);
    expect(bigEvent.truncated).toBe(true);
    expect(JSON.stringify(bigEvent.props).length).toBeLessThan(20_000);
    expect(small.truncated).toBeUndefined();
  });
});

describe('track() defers its work to a task of its own', () => {
  // Without processNow(): these tests are about when the work happens.
  const deferred = () => (tracker = createTracker({ endpoint: '/collect', site: 'test' }));
  const tick = () => new Promise((ok) => setTimeout(ok, 0));

  it('records the call and queues the event in a later task, with the time of the call for it and its stage change', async () => {
    const t = deferred();
    const at = Date.now();
    t.track<string>('add_to_cart', { a: 1 });
    expect(types()).toEqual(['page_view']);
    // The clock moves on a minute before the task runs.
    const now = vi.spyOn(Date, 'now').mockReturnValue(at + 60_000);
    try {
      await tick();
    } finally {
      now.mockRestore();
    }
    expect(types()).toEqual(['page_view', 'add_to_cart', 'stage_change']);
    expect(pushed[1].time).toBeLessThan(at + 1000);
    expect(pushed[2].time).toBe(pushed[1].time);
  });

  it('gives an event tracked before page() the page it was tracked on, and a plugin added later does not see it', () => {
    const t = (tracker = createTracker({ endpoint: '/collect', site: 'test', spa: false }));
    t.track('cta');
    history.pushState(null, '', '/next');
    t.page();
    expect(types()).toEqual(['page_view', 'cta', 'page_view']);
    expect(new URL(pushed[1].url).pathname).toBe('/');
    expect(new URL(pushed[2].url).pathname).toBe('/next');
    const seen: string[] = [];
    t.track('before_plugin');
    t.use({ name: 'late', beforeSend: (e) => (seen.push(e.type), e) });
    t.track('after_plugin');
    void t.stage;
    expect(seen).toEqual(['after_plugin']);
  });

  it('cuts a chain of calls made in answer to calls, and empties its queue', async () => {
    const t = deferred();
    t.on('event', (e: JourneyEvent) => e.type == 'echo' && t.track('echo'));
    t.track('echo');
    for (let i = 0; i < 20; i++) await tick();
    const echoes = types().filter((x) => x == 'echo').length;
    // The first call and 8 generations in answer to it.
    expect(echoes).toBe(9);
    await tick();
    expect(types().filter((x) => x == 'echo').length).toBe(echoes);
  });

  it('keeps the order of calls: a page view, identify and the stage read process what was tracked before them', () => {
    const t = deferred();
    t.track('a');
    t.page();
    t.identify('u1');
    t.track('add_to_cart');
    expect(t.stage).toBe('conversion');
    expect(types()).toEqual(['page_view', 'a', 'page_view', 'add_to_cart', 'stage_change']);
    expect(pushed[1].user_id).toBeUndefined();
    expect(pushed[3].user_id).toBe('u1');
  });

  it('keeps the props as they were at the call when the page reuses the object', () => {
    const t = deferred();
    const p: Record<string, unknown> = { step: 1 };
    t.track('step', p);
    p.step = 2;
    t.track('step', p);
    void t.stage;
    expect(pushed.slice(1).map((e) => e.props.step)).toEqual([1, 2]);
  });

  it('flush() queues what is pending, then asks delivery to send it', async () => {
    const t = deferred();
    t.track('last_click');
    await t.flush();
    expect(delivery.flushed).toBe(1);
    expect(delivery.pushedAtFlush).toEqual([['page_view', 'last_click']]);
  });

  it('flushes delivery when the page is left, after the page_leave is queued', () => {
    deferred().track('last_click');
    dispatchEvent(new Event('pagehide'));
    expect(delivery.flushed).toBe(1);
    expect(delivery.pushedAtFlush).toEqual([['page_view', 'last_click', 'page_leave']]);
  });

  it('queues what is pending before the page_leave when the page is left', () => {
    deferred().track('last_click');
    dispatchEvent(new Event('pagehide'));
    expect(types()).toEqual(['page_view', 'last_click', 'page_leave']);
  });

  it('yields after a time slice in a long burst and goes on in the next task, losing nothing', async () => {
    const t = deferred();
    // 2,000 calls: past the point where processed entries are dropped while some are still pending.
    for (let i = 0; i < 2000; i++) t.track('burst', { i });
    // Every clock read is 10 ms later: the first task stops at its first check.
    let clock = 0;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => (clock += 10));
    try {
      await tick();
      const first = pushed.length - 1;
      expect(first).toBeGreaterThan(0);
      expect(first).toBeLessThan(2000);
      for (let i = 0; i < 200 && pushed.length < 2001; i++) await tick();
    } finally {
      now.mockRestore();
    }
    expect(pushed.slice(1).map((e) => e.props.i)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });
});
