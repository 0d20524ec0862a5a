import { describe, expect, it, vi } from 'vitest';
import type { JourneyEvent, Plugin } from '../../../src/types';
import type { Core, Job } from '../../../src/pipeline/job';
import { createPrefs } from '../../../src/core/prefs';
import { createSession } from '../../../src/core/session';
import { createEmitter } from '../../../src/lib/emitter';
import { clean } from '../../../src/pipeline/clean';
import { dedupe } from '../../../src/pipeline/dedupe';
import { session } from '../../../src/pipeline/session';
import { stage } from '../../../src/pipeline/stage';
import { stamp } from '../../../src/pipeline/stamp';
import { announceChange, announceOpened } from '../../../src/pipeline/announce';
import { plugins } from '../../../src/pipeline/plugins';
import { queue } from '../../../src/pipeline/queue';
import { listeners } from '../../../src/pipeline/listeners';
import { run, STEPS } from '../../../src/pipeline/pipeline';
import { NO_TYPE } from '../../../src/lib/codes';

/** A core over memory prefs; `entered` records what the announce steps send through the door. */
const core = (o: Partial<Core> = {}) => {
  const prefs = createPrefs(false);
  const pushed: JourneyEvent[] = [];
  const entered: Partial<Job>[] = [];
  const c: Core = {
    _log: vi.fn(),
    _prefs: prefs,
    _session: createSession(prefs, 30 * 6e4),
    _emitter: createEmitter(() => {}),
    _delivery: { push: (e) => pushed.push(e), flush: async () => {}, release() {}, erase: async () => {}, destroy() {} },
    _plugins: [],
    _stage: 'awareness',
    _sid: '',
    _url: 'https://shop.example/',
    _referrer: '',
    _title: '',
    _enter: (j) => void entered.push(j),
    _off: (p) => (c._plugins = c._plugins.filter((x) => x != p)),
    ...o,
  };
  return { c, pushed, entered };
};
const job = (o: Partial<Job>) => ({ _props: {}, _profile: {}, _now: 1, ...o }) as Job;

describe('the pipeline', () => {
  it('names its steps in the order an event takes them', () => {
    expect(STEPS).toEqual([clean, dedupe, session, stage, stamp, announceOpened, plugins, queue, listeners, announceChange]);
  });

  it('runs a job through every step and returns the event as queued', () => {
    const { c, pushed } = core();
    const e = run(c, job({ _type: 'add_to_cart', _raw: { value: 1 } }));
    expect(pushed).toEqual([e]);
    expect(e).toMatchObject({ type: 'add_to_cart', stage: 'conversion', props: { value: 1 } });
  });
});

describe('clean', () => {
  it('ends the path when consent was refused', () => {
    expect(clean(job({ _type: 'a' }), core({ _refused: true }).c)).toBe(true);
  });

  it('ends the path for an event with no type, whatever door it came through', () => {
    const { c } = core();
    expect(clean(job({ _type: '' }), c)).toBe(true);
    expect(run(c, job({ _type: '' }))).toBeUndefined();
    expect(c._log).toHaveBeenCalledWith(NO_TYPE);
  });

  it('cuts the type to the collector rule and bounds the props, taking a recorded call`s time', () => {
    const { c } = core({ _time: 42 });
    const j = job({ _type: 'x'.repeat(150), _raw: { s: 'y'.repeat(2000) } });
    clean(j, c);
    expect(j._type).toHaveLength(100);
    expect((j._props.s as string).length).toBe(1000);
    expect(j._cut).toBe(true);
    expect(j._now).toBe(42);
  });
});

describe('dedupe', () => {
  it('lets a transaction id through once', () => {
    const { c } = core();
    const purchase = () => job({ _type: 'purchase', _props: { transaction_id: 'T1' } });
    expect(dedupe(purchase(), c)).toBeUndefined();
    expect(dedupe(purchase(), c)).toBe(true);
    expect(dedupe(job({ _type: 'purchase', _props: { transaction_id: 'T2' } }), c)).toBeUndefined();
  });
});

describe('session', () => {
  it('opens a session, takes the arrival props and tells `session` listeners', () => {
    const { c } = core();
    const heard = vi.fn();
    c._emitter.on('session', heard);
    const j = job({ _type: 'page_view', _arrival: { _external: true, _props: { utm_source: 'x' } } });
    session(j, c);
    expect(c._sid).toHaveLength(26);
    expect(j._props).toEqual({ utm_source: 'x' });
    expect(heard).toHaveBeenCalledWith({ id: c._sid, previous: undefined });
    const next = job({ _type: 'page_view', _arrival: { _external: false, _props: { utm_source: 'x' } } });
    session(next, c);
    expect(next._props).toEqual({});
  });

  it('puts a returning visitor arriving from outside back in awareness, as a change', () => {
    const { c } = core({ _stage: 'consideration' });
    const j = job({ _type: 'page_view', _profile: { s: 'consideration' }, _arrival: { _external: true, _props: {} } });
    session(j, c);
    expect(c._stage).toBe('awareness');
    expect(j._opened).toBe('consideration');
  });
});

describe('stage', () => {
  it('moves to the event`s stage and remembers where it came from', () => {
    const { c } = core();
    const j = job({ _type: 'add_to_cart' });
    stage(j, c);
    expect([c._stage, j._from]).toEqual(['conversion', 'awareness']);
  });

  it('lets the page attribute win over the candidate', () => {
    const { c } = core();
    stage(job({ _type: 'page_view', _stage: 'retention', _candidate: 'consideration' }), c);
    expect(c._stage).toBe('retention');
  });
});

describe('stamp', () => {
  it('builds the wire event with user_id and truncated only when set', () => {
    document.title = 'Mail jane@example.com';
    const { c } = core({ _sid: 'S', _user: 'u1' });
    const j = job({ _type: 'a', _props: { k: 1 }, _cut: true });
    stamp(j, c);
    expect(j._event).toMatchObject({ type: 'a', session_id: 'S', user_id: 'u1', truncated: true, title: 'Mail [email]' });
  });
});

describe('announce', () => {
  it('sends stage_change through the door and tells `stage` listeners', () => {
    const { c, entered } = core({ _stage: 'conversion' });
    const heard = vi.fn();
    c._emitter.on('stage', heard);
    announceChange(job({ _type: 'a', _from: 'awareness' }), c);
    announceOpened(job({ _type: 'a' }), c);
    expect(entered).toEqual([{ _type: 'stage_change', _raw: { from: 'awareness', to: 'conversion' } }]);
    expect(heard).toHaveBeenCalledTimes(1);
  });
});

describe('plugins', () => {
  it('drops on null, ignores a non-event answer, turns off a plugin that throws', () => {
    const bad: Plugin = {
      name: 'bad',
      beforeSend: () => {
        throw new Error('x');
      },
    };
    const odd: Plugin = { name: 'odd', beforeSend: () => 5 as never };
    const drop: Plugin = { name: 'drop', beforeSend: () => null };
    const { c } = core({ _plugins: [bad, odd] });
    const j = job({ _type: 'a', _event: { id: '1' } as JourneyEvent });
    plugins(j, c);
    expect(j._event).toEqual({ id: '1' });
    expect(c._plugins).toEqual([odd]);
    c._plugins = [drop];
    plugins(j, c);
    expect(j._event).toBeNull();
  });
});

describe('queue and listeners', () => {
  it('queue, then event and page listeners; nothing for a dropped event', () => {
    const { c, pushed } = core();
    const order: string[] = [];
    c._emitter.on('event', () => order.push('event:' + pushed.length));
    c._emitter.on('page', () => order.push('page'));
    const j = job({ _type: 'page_view', _event: { id: '1', type: 'page_view' } as JourneyEvent });
    queue(j, c);
    listeners(j, c);
    const dropped = job({ _type: 'page_view', _event: null });
    queue(dropped, c);
    listeners(dropped, c);
    expect(order).toEqual(['event:1', 'page']);
    expect(pushed).toHaveLength(1);
  });
});
