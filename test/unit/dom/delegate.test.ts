import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { onActions } from '../../../src/dom/delegate';
import type { Props } from '../../../src/types';

let emitted: [string, Props][];
let messages: unknown[][];
let off: () => void;
const $ = (sel: string) => document.querySelector(sel) as HTMLElement;
const submit = (form: HTMLFormElement) => form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));

beforeEach(() => {
  emitted = [];
  messages = [];
  off = onActions(
    document,
    (type, props) => void emitted.push([type, props]),
    (...a) => void messages.push(a),
  );
});
afterEach(() => {
  off();
  document.body.innerHTML = '';
});

describe('onActions', () => {
  it('emits a click on a marked element with its props', () => {
    document.body.innerHTML =
      '<button data-journey-event="add_to_cart" data-journey-prop-item_id="SKU-1" data-journey-prop-price="10" data-journey-prop-currency="EUR">Add</button>';
    $('button').click();
    expect(emitted).toEqual([
      ['add_to_cart', { currency: 'EUR', value: 10, items: [{ item_id: 'SKU-1', price: 10, quantity: 1 }] }],
    ]);
  });

  it('emits for a click inside the marked element', () => {
    document.body.innerHTML = '<a href="#x" data-journey-event="select_item"><span><img alt="x"></span></a>';
    $('img').click();
    expect(emitted.map((e) => e[0])).toEqual(['select_item']);
  });

  it('emits once, for the nearest mark, on nested marked elements', () => {
    document.body.innerHTML =
      '<div data-journey-event="select_item" data-journey-prop-item_id="A"><button data-journey-event="add_to_wishlist" data-journey-prop-item_id="A">♥</button></div>';
    $('button').click();
    expect(emitted.map((e) => e[0])).toEqual(['add_to_wishlist']);
    $('div').click();
    expect(emitted.map((e) => e[0])).toEqual(['add_to_wishlist', 'select_item']);
  });

  it('ignores clicks outside marked elements', () => {
    document.body.innerHTML = '<button>plain</button><div data-journey-event="share"></div>';
    $('button').click();
    document.body.click();
    expect(emitted).toEqual([]);
  });

  it('still sees clicks whose propagation the theme stops', () => {
    document.body.innerHTML = '<button data-journey-event="share">Share</button>';
    $('button').addEventListener('click', (e) => e.stopPropagation());
    document.body.addEventListener('click', (e) => e.stopImmediatePropagation(), { capture: true, once: true });
    $('button').click();
    expect(emitted.map((e) => e[0])).toEqual(['share']);
  });

  it('works for elements added after setup', () => {
    const b = document.createElement('button');
    b.setAttribute('data-journey-event', 'referral_share');
    document.body.append(b);
    b.click();
    expect(emitted.map((e) => e[0])).toEqual(['referral_share']);
  });

  it('emits a marked form on submit, not on clicks inside it', () => {
    document.body.innerHTML =
      '<form data-journey-event="search" data-journey-prop-list="header"><input name="q"><button type="button">Go</button></form>';
    $('button').click();
    $('input').click();
    expect(emitted).toEqual([]);
    submit($('form') as HTMLFormElement);
    expect(emitted).toEqual([['search', { list: 'header' }]]);
  });

  it('a marked button in a marked form emits its own click, the form its submit', () => {
    document.body.innerHTML =
      '<form data-journey-event="begin_checkout"><button type="button" data-journey-event="add_shipping_info">Ship</button></form>';
    $('button').click();
    submit($('form') as HTMLFormElement);
    expect(emitted.map((e) => e[0])).toEqual(['add_shipping_info', 'begin_checkout']);
  });

  it('ignores the submit of an unmarked form', () => {
    document.body.innerHTML = '<div data-journey-event="share"><form><input></form></div>';
    submit($('form') as HTMLFormElement);
    expect(emitted).toEqual([]);
  });

  it('logs and skips an empty event name', () => {
    document.body.innerHTML = '<button data-journey-event="  ">x</button>';
    $('button').click();
    expect(emitted).toEqual([]);
    expect(messages.length).toBe(1);
  });

  it('keeps a throwing emit away from the page', () => {
    off();
    off = onActions(
      document,
      () => {
        throw new Error('boom');
      },
      (...a) => void messages.push(a),
    );
    document.body.innerHTML = '<button data-journey-event="share">x</button>';
    const errors: unknown[] = [];
    const onError = (e: ErrorEvent) => errors.push(e.error);
    window.addEventListener('error', onError);
    $('button').click();
    window.removeEventListener('error', onError);
    expect(errors).toEqual([]);
    expect(messages.length).toBe(1);
  });

  it('ignores events whose target is no element', () => {
    document.dispatchEvent(new Event('click'));
    document.body.innerHTML = 'text';
    document.body.firstChild!.dispatchEvent(new Event('click', { bubbles: true }));
    expect(emitted).toEqual([]);
    expect(messages).toEqual([]);
  });

  it('stops emitting after teardown', () => {
    document.body.innerHTML = '<button data-journey-event="share">x</button><form data-journey-event="search"></form>';
    off();
    $('button').click();
    submit($('form') as HTMLFormElement);
    expect(emitted).toEqual([]);
  });
});
