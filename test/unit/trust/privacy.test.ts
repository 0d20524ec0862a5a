// Privacy by default (issue 9): e-mail addresses, phone numbers and card-like numbers never leave the page in URLs,
// referrers, titles or props; commerce ids (transaction_id, item_id) are never scrubbed; secret query parameters,
// built-in and configured (`stripParams`), are removed before storage.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { processNow } from '../process-now';
import type { JourneyEvent, Tracker } from '../../../src/types';
import type { OrderProps } from '../../../src/events';

const pushed: JourneyEvent[] = [];
vi.mock('../../../src/queue/queue', () => ({
  createDelivery: () => ({
    push: (e: JourneyEvent) => void pushed.push(JSON.parse(JSON.stringify(e))),
    flush: async () => {},
    release: () => {},
    erase: async () => {},
    destroy: () => {},
  }),
}));

const { createTracker } = await import('../../../src/tracker/tracker');

// Personal data as it shows up in shops: typed in forms, pasted into search, carried by e-mail links.
const EMAIL = 'jane.doe@example.com';
const PHONES = ['+49 170 1234567', '+1 (555) 123-4567', '+44 20 7183 8750', '+33.6.12.34.56.78', '(555) 987-6543'];
// Luhn-valid test numbers of the card networks, written the ways people write them.
const CARDS = ['4111 1111 1111 1111', '4111-1111-1111-1111', '5500000000000004', '3782 822463 10005', '6011 0009 9013 9424'];

const digits = (s: string) => s.replace(/\D/g, '');
/** Percent-decoded, form `+` as space, separators between digits gone: how a reader of the data would see it. */
const readable = (s: string) =>
  s
    .replace(/%([0-9a-f]{2})/gi, (_m, h) => String.fromCharCode(parseInt(h, 16)))
    .replace(/[\s\-().+]/g, '')
    .toLowerCase();
/** Which of the secrets can still be read anywhere in the event. */
const leaks = (e: unknown, secrets: string[]) => {
  const text = readable(JSON.stringify(e));
  return secrets.filter((s) => text.includes(s.includes('@') ? s.toLowerCase() : digits(s)));
};
const ALL = [EMAIL, ...PHONES, ...CARDS];

let tracker: Tracker | undefined;
const make = (o: Record<string, unknown> = {}) =>
  (tracker = processNow(createTracker({ endpoint: '/collect', site: 'test', ...o } as any)));
const setReferrer = (r: string) => Object.defineProperty(document, 'referrer', { value: r, configurable: true });
const last = () => pushed[pushed.length - 1];

beforeEach(() => {
  pushed.length = 0;
  localStorage.clear();
  history.replaceState(null, '', '/');
  document.title = 'Home';
  setReferrer('');
});
afterEach(() => tracker?.destroy());

describe('personal data is scrubbed', () => {
  it('from the page URL: path, query values, encoded or not', () => {
    const q = new URLSearchParams({ contact: EMAIL, q: CARDS[0], note: 'call ' + PHONES[0], c2: CARDS[2], p2: PHONES[1] });
    history.replaceState(null, '', `/account/${encodeURIComponent(EMAIL)}/orders?${q}&color=red`);
    make();
    const pv = pushed[0];
    expect(pv.type).toBe('page_view');
    expect(leaks(pv.url, ALL)).toEqual([]);
    // The harmless parameter survives.
    expect(new URL(pv.url).searchParams.get('color')).toBe('red');
  });

  it('from a card number or phone number in the path', () => {
    history.replaceState(null, '', `/pay/${digits(CARDS[1])}/confirm/${encodeURIComponent(PHONES[2])}`);
    make();
    expect(leaks(pushed[0].url, ALL)).toEqual([]);
    expect(pushed[0].url).toContain('/confirm/');
  });

  it('from the referrer, with its secret parameters removed too', () => {
    setReferrer(
      `https://mail.example/inbox/read?token=s3cr3t&from=${encodeURIComponent(EMAIL)}&m=${encodeURIComponent(CARDS[3])}&t=${encodeURIComponent(PHONES[3])}&folder=news`,
    );
    make();
    const pv = pushed[0];
    expect(pv.referrer).toContain('mail.example');
    expect(pv.referrer).not.toContain('s3cr3t');
    expect(leaks(pv.referrer, ALL)).toEqual([]);
    expect(leaks(pv.props, ALL)).toEqual([]);
  });

  it('from the title', () => {
    document.title = `Order for ${EMAIL} · ${PHONES[0]} · card ${CARDS[0]} – My Shop`;
    make();
    tracker!.track('x');
    for (const e of pushed) expect(leaks(e.title, ALL)).toEqual([]);
    expect(last().title).toContain('My Shop');
  });

  it('from props at any depth, in keys and values', () => {
    make();
    tracker!.track('contact', {
      email: EMAIL,
      note: `call me at ${PHONES[2]} or ${PHONES[4]}`,
      card: CARDS[0],
      nested: { deep: [CARDS[4], { phone: PHONES[3] }] },
      [EMAIL]: 1,
    });
    expect(leaks(last().props, ALL)).toEqual([]);
    expect(Object.keys(last().props)).toEqual(expect.arrayContaining(['email', 'note', 'card', 'nested']));
  });

  it('from the attribution props of the first page view (utm values)', () => {
    history.replaceState(
      null,
      '',
      `/?utm_source=newsletter&utm_medium=email&utm_campaign=${encodeURIComponent(EMAIL)}&utm_content=${encodeURIComponent(PHONES[0])}`,
    );
    make();
    const pv = pushed[0];
    expect(pv.props.utm_source).toBe('newsletter');
    expect(leaks(pv.props, ALL)).toEqual([]);
  });
});

describe('what is not personal data is left alone', () => {
  it('never scrubs transaction_id or item_id, however card- or phone-like they look', () => {
    make();
    const props: OrderProps = {
      transaction_id: digits(CARDS[0]),
      currency: 'EUR',
      value: 59.7,
      items: [
        { item_id: '4006381333931', item_name: 'Shirt', price: 19.9, quantity: 3 },
        { item_id: PHONES[0], item_name: 'Gift card', price: 10, quantity: 1 },
        { item_id: CARDS[2], price: 1, quantity: 1 },
      ],
    };
    tracker!.track('purchase', props);
    const purchase = pushed.find((e) => e.type == 'purchase');
    expect(purchase!.props).toEqual(props);
  });

  it('keeps order numbers, SKUs, dates, prices and ULIDs in props and URLs', () => {
    history.replaceState(null, '', '/orders/ORD-2024-000123?sku=SKU-12345&date=2024-01-15&p=19.90');
    make();
    const ordinary = {
      order: 'ORD-2024-000123',
      sku: 'SKU-12345',
      date: '2024-01-15',
      when: '2024-01-15T10:30:00.000Z',
      price: '19.90',
      ulid: '01JD3Q8Z7X9K2M4N6P8R0T2V4W',
      zip: '10115',
      quantity: 3,
      count: 4111111111111111,
    };
    tracker!.track('x', ordinary);
    expect(last().props).toEqual(ordinary);
    expect(pushed[0].url).toBe(location.href);
  });

  it('keeps an ordinary title', () => {
    document.title = 'Shirt – size 42 – €19.90 – My Shop';
    make();
    expect(pushed[0].title).toBe('Shirt – size 42 – €19.90 – My Shop');
  });
});

describe('query parameters stripped before storage', () => {
  it('removes the built-in secret parameters whatever their case, keeps the rest in order', () => {
    history.replaceState(null, '', '/p?a=1&Token=t&password=p&SessionId=s&access_token=x&b=2&api_key=k&c=3');
    make();
    expect(new URL(pushed[0].url).search).toBe('?a=1&b=2&c=3');
  });

  it('adds the stripParams option to the list, case-insensitively, for the URL and the referrer', () => {
    history.replaceState(null, '', '/p?ticket=abc&COUPON_SECRET=x&color=red');
    setReferrer('https://other.example/?ticket=abc&ok=1');
    make({ stripParams: ['ticket', 'Coupon_Secret'] });
    expect(new URL(pushed[0].url).search).toBe('?color=red');
    expect(pushed[0].referrer).toBe('https://other.example/?ok=1');
  });

  it('strips configured parameters from SPA page views too', () => {
    make({ stripParams: ['ticket'] });
    history.pushState(null, '', '/next?ticket=abc&x=1');
    tracker!.page();
    expect(new URL(last().url).search).toBe('?x=1');
  });

  it('ignores a stripParams of the wrong type and still strips the built-in list', () => {
    history.replaceState(null, '', '/p?token=t&ticket=abc');
    make({ stripParams: 'ticket' });
    expect(new URL(pushed[0].url).search).toBe('?ticket=abc');
  });
});
