import { beforeEach, describe, expect, it } from 'vitest';
import { readPageStage, readProps } from '../../../src/dom/attributes';

const messages: unknown[][] = [];
const log = (...a: unknown[]) => void messages.push(a);
const el = (html: string): Element => {
  document.body.innerHTML = html;
  return document.body.firstElementChild!;
};

beforeEach(() => {
  messages.length = 0;
  document.body.innerHTML = '';
});

describe('readProps', () => {
  it('reads data-journey-prop-* with number keys typed', () => {
    const props = readProps(
      el(
        '<button data-journey-prop-price="19.90" data-journey-prop-value="5" data-journey-prop-quantity="2" data-journey-prop-score="9" data-journey-prop-method="email" data-journey-prop-zip="01234">x</button>',
      ),
      'share',
      log,
    );
    expect(props).toEqual({ price: 19.9, value: 5, quantity: 2, score: 9, method: 'email', zip: '01234' });
    expect(messages).toEqual([]);
  });

  it('drops a number prop that is no number, with a log message', () => {
    const props = readProps(
      el('<a data-journey-prop-price="abc" data-journey-prop-quantity=" " data-journey-prop-x="1">x</a>'),
      'x',
      log,
    );
    expect(props).toEqual({ x: '1' });
    expect(messages.length).toBe(2);
  });

  it('reads data-journey-props JSON, typed, with single props winning', () => {
    const props = readProps(
      el(
        `<div data-journey-props='{"list":"home","n":3,"ok":true,"tags":["a","b"],"price":"12.5"}' data-journey-prop-list="footer"></div>`,
      ),
      'x',
      log,
    );
    expect(props).toEqual({ list: 'footer', n: 3, ok: true, tags: ['a', 'b'], price: 12.5 });
  });

  it('returns no props for a plain element', () => {
    expect(readProps(el('<div></div>'), 'add_to_cart', log)).toEqual({});
  });

  describe('commerce events', () => {
    const card =
      '<button data-journey-prop-item_id="SKU-1" data-journey-prop-item_name="Shirt" data-journey-prop-item_brand="Acme" data-journey-prop-item_category="Tops" data-journey-prop-item_variant="red" data-journey-prop-price="19.9" data-journey-prop-quantity="3" data-journey-prop-currency="EUR">Add</button>';

    it('builds the one-item items array with value and currency', () => {
      expect(readProps(el(card), 'add_to_cart', log)).toEqual({
        currency: 'EUR',
        value: 59.7, // rounded: 19.9 * 3 is 59.699999999999996 in floats
        items: [
          {
            item_id: 'SKU-1',
            item_name: 'Shirt',
            item_brand: 'Acme',
            item_category: 'Tops',
            item_variant: 'red',
            price: 19.9,
            quantity: 3,
          },
        ],
      });
    });

    it('defaults the quantity to 1', () => {
      const props = readProps(el('<a data-journey-prop-item_id="S" data-journey-prop-price="5">x</a>'), 'view_item', log);
      expect(props).toEqual({ value: 5, items: [{ item_id: 'S', price: 5, quantity: 1 }] });
    });

    it('works from data-journey-props too', () => {
      const props = readProps(
        el(`<a data-journey-props='{"item_id":"S","price":2.5,"quantity":2,"currency":"USD"}'>x</a>`),
        'purchase',
        log,
      );
      expect(props).toEqual({ currency: 'USD', value: 5, items: [{ item_id: 'S', price: 2.5, quantity: 2 }] });
    });

    it('keeps an explicit value', () => {
      const props = readProps(
        el('<a data-journey-prop-item_id="S" data-journey-prop-price="10" data-journey-prop-value="8">x</a>'),
        'purchase',
        log,
      );
      expect(props.value).toBe(8);
    });

    it('gives no value without a price', () => {
      expect(readProps(el('<a data-journey-prop-item_id="S">x</a>'), 'select_item', log)).toEqual({
        items: [{ item_id: 'S', quantity: 1 }],
      });
    });

    it('keeps an items array given in JSON as it is', () => {
      const props = readProps(
        el(`<a data-journey-props='{"items":[{"item_id":"A"},{"item_id":"B"}]}' data-journey-prop-item_id="C">x</a>`),
        'view_cart',
        log,
      );
      expect(props).toEqual({ items: [{ item_id: 'A' }, { item_id: 'B' }], item_id: 'C' });
    });

    it('leaves item keys alone on other events', () => {
      expect(readProps(el(card), 'share', log)).toEqual({
        item_id: 'SKU-1',
        item_name: 'Shirt',
        item_brand: 'Acme',
        item_category: 'Tops',
        item_variant: 'red',
        price: 19.9,
        quantity: 3,
        currency: 'EUR',
      });
    });
  });

  describe('hostile input', () => {
    it.each([
      ['__proto__', `{"__proto__":{"polluted":1}}`],
      ['constructor', `{"constructor":{"prototype":{"polluted":1}}}`],
      ['prototype', `{"prototype":{"polluted":1}}`],
      ['nested __proto__', `{"a":{"__proto__":{"polluted":1}}}`],
    ])('JSON with %s pollutes nothing', (_, json) => {
      const e = document.createElement('div');
      e.setAttribute('data-journey-props', json);
      const props = readProps(e, 'x', log);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.getPrototypeOf(props)).toBe(Object.prototype);
      expect((props as Record<string, unknown>).polluted).toBeUndefined();
      expect(JSON.stringify(props)).not.toContain('polluted');
    });

    it.each([['__proto__'], ['constructor'], ['prototype']])('data-journey-prop-%s is refused', (key) => {
      const e = document.createElement('div');
      e.setAttribute('data-journey-prop-' + key, 'x');
      const props = readProps(e, 'x', log);
      expect(Object.getPrototypeOf(props)).toBe(Object.prototype);
      expect(Object.keys(props)).toEqual([]);
    });

    it.each([
      ['broken JSON', '{"a":'],
      ['single quotes', "{'a':1}"],
      ['an array', '[1,2]'],
      ['a string', '"text"'],
      ['a number', '42'],
      ['null', 'null'],
    ])('%s in data-journey-props is ignored with a log message', (_, json) => {
      const e = document.createElement('div');
      e.setAttribute('data-journey-props', json);
      e.setAttribute('data-journey-prop-kept', 'yes');
      expect(readProps(e, 'x', log)).toEqual({ kept: 'yes' });
      expect(messages.length).toBe(1);
    });

    it('cuts absurdly long values to 1,000 characters', () => {
      const e = document.createElement('div');
      const long = 'x'.repeat(100_000);
      e.setAttribute('data-journey-prop-name', long);
      e.setAttribute('data-journey-props', JSON.stringify({ note: long, deep: { text: long } }));
      const props = readProps(e, 'x', log) as { name: string; note: string; deep: { text: string } };
      expect(props.name.length).toBe(1000);
      expect(props.note.length).toBe(1000);
      expect(props.deep.text.length).toBe(1000);
    });

    it('bounds the number of keys', () => {
      const e = document.createElement('div');
      e.setAttribute(
        'data-journey-props',
        JSON.stringify(Object.fromEntries(Array.from({ length: 500 }, (_, i) => ['k' + i, i]))),
      );
      for (let i = 0; i < 100; i++) e.setAttribute('data-journey-prop-a' + i, 'v');
      const n = Object.keys(readProps(e, 'x', log)).length;
      expect(n).toBeGreaterThan(0);
      expect(n).toBeLessThanOrEqual(50);
    });

    it('turns wrong types for number keys into a log message', () => {
      const e = document.createElement('div');
      e.setAttribute('data-journey-props', JSON.stringify({ price: { a: 1 }, quantity: [2], score: true, value: null }));
      expect(readProps(e, 'x', log)).toEqual({});
      expect(messages.length).toBe(4);
    });

    it('drops non-finite numbers', () => {
      const e = document.createElement('div');
      e.setAttribute('data-journey-prop-price', 'Infinity');
      e.setAttribute('data-journey-props', '{"value":1e999}');
      expect(readProps(e, 'x', log)).toEqual({});
    });

    it('survives an element whose attributes throw', () => {
      const e = document.createElement('div');
      Object.defineProperty(e, 'attributes', {
        get() {
          throw new Error('boom');
        },
      });
      expect(() => readProps(e, 'x', log)).not.toThrow();
      expect(messages.length).toBe(1);
    });
  });
});

describe('readPageStage', () => {
  const reset = () => {
    document.documentElement.removeAttribute('data-journey-stage');
    document.body.removeAttribute('data-journey-stage');
  };
  beforeEach(reset);

  it('reads the stage on body', () => {
    document.body.setAttribute('data-journey-stage', 'conversion');
    expect(readPageStage(document, log)).toBe('conversion');
    reset();
  });

  it('prefers html over body, and body over elements inside it', () => {
    document.body.innerHTML = '<main data-journey-stage="advocacy"></main>';
    expect(readPageStage(document, log)).toBe('advocacy');
    document.body.setAttribute('data-journey-stage', 'consideration');
    expect(readPageStage(document, log)).toBe('consideration');
    document.documentElement.setAttribute('data-journey-stage', 'retention');
    expect(readPageStage(document, log)).toBe('retention');
    reset();
  });

  it('tolerates case and spaces', () => {
    document.body.setAttribute('data-journey-stage', ' Consideration ');
    expect(readPageStage(document, log)).toBe('consideration');
    reset();
  });

  it('gives undefined without the attribute, silently', () => {
    expect(readPageStage(document, log)).toBeUndefined();
    expect(messages).toEqual([]);
  });

  it.each([['checkout'], [''], ['__proto__'], ['toString']])('gives undefined and a log message for %o', (v) => {
    document.body.setAttribute('data-journey-stage', v);
    expect(readPageStage(document, log)).toBeUndefined();
    expect(messages.length).toBe(1);
    reset();
  });
});
