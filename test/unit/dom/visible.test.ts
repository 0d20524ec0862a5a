import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { onViews } from '../../../src/dom/visible';
import type { Props } from '../../../src/types';

// A controllable IntersectionObserver: tests decide what becomes visible.
interface FakeIO {
  callback: IntersectionObserverCallback;
  options?: IntersectionObserverInit;
  targets: Set<Element>;
  disconnected: boolean;
}
let observers: FakeIO[];
const win = window as unknown as Record<string, unknown>;
const realIO = win.IntersectionObserver;

class MockIO {
  _s: FakeIO;
  constructor(callback: IntersectionObserverCallback, options?: IntersectionObserverInit) {
    this._s = { callback, options, targets: new Set(), disconnected: false };
    observers.push(this._s);
  }
  observe(el: Element) {
    this._s.targets.add(el);
  }
  unobserve(el: Element) {
    this._s.targets.delete(el);
  }
  disconnect() {
    this._s.targets.clear();
    this._s.disconnected = true;
  }
}

/** Report `ratio` visibility for the observed elements matching `sel`. */
const show = (sel: string, ratio = 1) => {
  const io = observers[0];
  const entries = Array.from(document.querySelectorAll(sel))
    .filter((el) => io.targets.has(el))
    .map((target) => ({ target, isIntersecting: ratio > 0, intersectionRatio: ratio }) as IntersectionObserverEntry);
  if (entries.length) io.callback(entries, {} as IntersectionObserver);
};
const mutations = () => new Promise((r) => setTimeout(r, 0));

let emitted: [string, Props][];
let messages: unknown[][];
let off: () => void;
const start = () =>
  onViews(
    document,
    (type, props) => void emitted.push([type, props]),
    (...a) => void messages.push(a),
  );

beforeEach(() => {
  observers = [];
  emitted = [];
  messages = [];
  win.IntersectionObserver = MockIO;
  off = () => {};
});
afterEach(() => {
  off();
  win.IntersectionObserver = realIO;
  document.body.innerHTML = '';
});

describe('onViews', () => {
  it('observes with a threshold of one half', () => {
    off = start();
    expect(observers[0].options).toEqual({ threshold: 0.5 });
  });

  it('emits once when at least half of an element is visible', () => {
    document.body.innerHTML =
      '<div id="a" data-journey-view="view_promotion" data-journey-prop-promotion_id="P1"></div><div id="b"></div>';
    off = start();
    expect([...observers[0].targets].map((e) => e.id)).toEqual(['a']);
    show('#a', 0.49);
    expect(emitted).toEqual([]);
    show('#a', 0.5);
    expect(emitted).toEqual([['view_promotion', { promotion_id: 'P1' }]]);
    show('#a', 1);
    expect(emitted.length).toBe(1);
    expect(observers[0].targets.size).toBe(0);
  });

  it('builds the items array for commerce views', () => {
    document.body.innerHTML =
      '<div data-journey-view="view_item" data-journey-prop-item_id="SKU-2" data-journey-prop-price="4"></div>';
    off = start();
    show('div');
    expect(emitted).toEqual([['view_item', { value: 4, items: [{ item_id: 'SKU-2', price: 4, quantity: 1 }] }]]);
  });

  it('picks up elements added later, nested ones too', async () => {
    off = start();
    const wrap = document.createElement('section');
    wrap.innerHTML =
      '<div class="v" data-journey-view="view_item_list"><p class="v" data-journey-view="view_promotion"></p></div>';
    document.body.append(wrap);
    await mutations();
    expect(observers[0].targets.size).toBe(2);
    show('.v');
    expect(emitted.map((e) => e[0]).sort()).toEqual(['view_item_list', 'view_promotion']);
  });

  it('picks up an element marked later', async () => {
    document.body.innerHTML = '<div></div>';
    off = start();
    document.querySelector('div')!.setAttribute('data-journey-view', 'view_promotion');
    await mutations();
    show('div');
    expect(emitted.map((e) => e[0])).toEqual(['view_promotion']);
  });

  it('counts a moved element once', async () => {
    document.body.innerHTML = '<div data-journey-view="view_promotion"></div><section></section>';
    off = start();
    const el = document.querySelector('div')!;
    show('div');
    document.querySelector('section')!.append(el);
    await mutations();
    show('div');
    expect(emitted.length).toBe(1);
  });

  it('does nothing, with a log message, without IntersectionObserver', () => {
    delete win.IntersectionObserver;
    document.body.innerHTML = '<div data-journey-view="view_promotion"></div>';
    off = start();
    expect(observers).toEqual([]);
    expect(messages.length).toBe(1);
    expect(() => off()).not.toThrow();
  });

  it('survives an IntersectionObserver that throws on construction', () => {
    win.IntersectionObserver = function () {
      throw new Error('boom');
    };
    document.body.innerHTML = '<div data-journey-view="view_promotion"></div>';
    expect(() => (off = start())).not.toThrow();
    expect(messages.length).toBe(1);
    expect(() => off()).not.toThrow();
  });

  it('ignores added text and comment nodes', async () => {
    off = start();
    document.body.append('text', document.createComment('c'));
    await mutations();
    expect(observers[0].targets.size).toBe(0);
    expect(messages).toEqual([]);
  });

  it('keeps a throwing emit away from the page', () => {
    document.body.innerHTML = '<div data-journey-view="view_promotion"></div>';
    off = onViews(
      document,
      () => {
        throw new Error('boom');
      },
      (...a) => void messages.push(a),
    );
    expect(() => show('div')).not.toThrow();
    expect(messages.length).toBe(1);
  });

  it('skips an empty view name', () => {
    document.body.innerHTML = '<div data-journey-view=""></div>';
    off = start();
    show('div');
    expect(emitted).toEqual([]);
  });

  it('stops observing and watching on teardown', async () => {
    document.body.innerHTML = '<div data-journey-view="view_promotion"></div>';
    off = start();
    off();
    expect(observers[0].disconnected).toBe(true);
    document.body.insertAdjacentHTML('beforeend', '<p data-journey-view="view_item"></p>');
    await mutations();
    expect(observers[0].targets.size).toBe(0);
  });
});
