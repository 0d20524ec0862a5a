import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { onActions } from '../../../src/dom/delegate';
import { readProps } from '../../../src/dom/attributes';
import type { Props } from '../../../src/types';
import { BAD_PROP } from '../../../src/lib/codes';

// data-journey-fields, through the submit listener as a page meets it (README, "Quickstart: theme authors").
let emitted: [string, Props][];
let messages: unknown[][];
let off: () => void;
const form = (html: string) => {
  document.body.innerHTML = html;
  return document.querySelector('form')!;
};
const submit = (f: HTMLFormElement, submitter?: HTMLElement) => {
  const e = new Event('submit', { bubbles: true, cancelable: true });
  // jsdom has no SubmitEvent constructor: the property a browser sets.
  if (submitter) Object.defineProperty(e, 'submitter', { value: submitter });
  f.dispatchEvent(e);
  return emitted.at(-1);
};

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

describe('data-journey-fields', () => {
  it("sends the README's search form's query as search_term", () => {
    const f = form(
      '<form data-journey-event="search" data-journey-fields="q:search_term"><input type="search" name="q"><button>Search</button></form>',
    );
    f.querySelector('input')!.value = 'linen shirt';
    expect(submit(f)).toEqual(['search', { search_term: 'linen shirt' }]);
  });

  it('sends the checked radio of an NPS form as a number score, and nothing when none is checked', () => {
    const radios = Array.from({ length: 11 }, (_, i) => `<input type="radio" name="score" value="${i}">`).join('');
    const f = form(`<form data-journey-event="nps_response" data-journey-fields="score">${radios}<button>Send</button></form>`);
    expect(submit(f)).toEqual(['nps_response', {}]);
    f.querySelector<HTMLInputElement>('input[value="9"]')!.checked = true;
    expect(submit(f)).toEqual(['nps_response', { score: 9 }]);
  });

  it("sends a product form's quantity and variant in its item, with value = price × quantity", () => {
    const f = form(`<form data-journey-event="add_to_cart" data-journey-prop-item_id="SKU-1" data-journey-prop-price="19.9"
        data-journey-prop-quantity="1" data-journey-prop-currency="EUR" data-journey-fields="quantity,variant:item_variant">
      <select name="variant"><option>S</option><option selected>M</option></select>
      <input type="number" name="quantity" value="3"><button>Add to cart</button></form>`);
    expect(submit(f)).toEqual([
      'add_to_cart',
      { currency: 'EUR', value: 59.7, items: [{ item_id: 'SKU-1', price: 19.9, quantity: 3, item_variant: 'M' }] },
    ]);
  });

  it('never reads password, e-mail, phone, hidden, file or card fields, whatever the list says', () => {
    const f = form(`<form data-journey-event="sign_up" data-journey-fields="pw,mail,phone,token,cv,card,name2,mail2,otp,method">
      <input type="password" name="pw" value="hunter2"><input type="email" name="mail" value="jane@example.com">
      <input type="tel" name="phone" value="+4912345"><input type="hidden" name="token" value="csrf-abc">
      <input type="file" name="cv"><input name="card" autocomplete="cc-number" value="4111111111111111">
      <input name="name2" autocomplete="section-x billing cc-name" value="Jane Doe"><input name="mail2" autocomplete="email" value="j@x.io">
      <input name="otp" autocomplete="one-time-code" value="123456"><input name="method" value="form"></form>`);
    expect(submit(f)).toEqual(['sign_up', { method: 'form' }]);
    expect(JSON.stringify(emitted)).not.toMatch(/hunter2|jane|4111|csrf|123456|4912345|Jane/i);
  });

  it('skips a name any private control has, even when a harmless one of that name comes first', () => {
    const f = form(
      '<form data-journey-event="x" data-journey-fields="q"><input name="q" value="shown"><input type="password" name="q" value="secret"></form>',
    );
    expect(submit(f)).toEqual(['x', {}]);
  });

  it('reads the button that submitted the form, and no other button', () => {
    const buttons = Array.from({ length: 11 }, (_, i) => `<button name="score" value="${i}">${i}</button>`).join('');
    const f = form(`<form data-journey-event="nps_response" data-journey-fields="score">${buttons}</form>`);
    expect(submit(f)).toEqual(['nps_response', {}]);
    expect(submit(f, f.querySelector<HTMLElement>('button[value="10"]')!)).toEqual(['nps_response', { score: 10 }]);
  });

  it('leaves out disabled, unchecked and empty fields and unlisted ones', () => {
    const f = form(`<form data-journey-event="x" data-journey-fields="a, b ,c,d,e">
      <input name="a" value="1" disabled><input type="checkbox" name="b" value="yes"><input name="c" value="">
      <input type="checkbox" name="d" value="gift" checked><input name="unlisted" value="u"><textarea name="e">hi</textarea></form>`);
    expect(submit(f)).toEqual(['x', { d: 'gift', e: 'hi' }]);
  });

  it('drops a number field that is no number, with a message, and keeps the rest', () => {
    const f = form(
      '<form data-journey-event="x" data-journey-fields="quantity,size"><input name="quantity" value="two"><input name="size" value="M"></form>',
    );
    expect(submit(f)).toEqual(['x', { size: 'M' }]);
    expect(messages).toEqual([[BAD_PROP, 'quantity']]);
  });

  it('keeps polluting names out, and reads nothing of an element that is not a form', () => {
    const f = form(
      '<form data-journey-event="x" data-journey-fields="__proto__,constructor:a,a:__proto__"><input name="__proto__" value="1"><input name="constructor" value="2"><input name="a" value="3"></form>',
    );
    expect(submit(f)).toEqual(['x', { a: '2' }]);
    expect(({} as any).a).toBeUndefined();
    document.body.innerHTML = '<div data-journey-fields="q" data-journey-prop-k="v"><input name="q" value="x"></div>';
    expect(readProps(document.body.firstElementChild!, 'x', () => {})).toEqual({ k: 'v' });
  });
});
