import { describe, expect, it } from 'vitest';
import { readArrival } from '../../../src/stages/arrival';
import { classifySource, isExternal } from '../../../src/stages/source';

const SHOP = 'https://www.shop.example/p?';
// Referrers and parameters of every kind the classification knows, the tag's internal/external cases among them.
const REFERRERS = [
  '',
  'https://www.google.com/',
  'https://mail.google.com/',
  'https://shop.example/cart',
  'https://checkout.shop.example/',
  'https://www.paypal.com/checkoutnow',
  'https://acs1.bank.example/3ds',
  'https://blog.example.org/post',
  'https://t.co/x',
  'not a url',
  'http://192.168.0.1/',
];
const QUERIES = ['', 'ref=amy', 'gclid=1', 'utm_source=news', 'utm_medium=cpc&utm_campaign=x', 'fbclid=2&ref=b'];

describe('readArrival', () => {
  it('calls a visit external exactly where the full classification does', () => {
    for (const r of REFERRERS)
      for (const q of QUERIES) {
        const url = new URL(SHOP + q);
        expect([r, q, readArrival(url, r)._external]).toEqual([r, q, isExternal(classifySource(url, r).source)]);
      }
  });

  it('carries utm_* and ref, and the campaign key only when tagged', () => {
    const a = readArrival(new URL(SHOP + 'utm_source=n&utm_medium=e&utm_term=t&ref=x'), '');
    expect(a._props).toEqual({ utm_source: 'n', utm_medium: 'e', utm_term: 't', ref: 'x' });
    expect(a._campaign).toBe('n|e|');
    expect(readArrival(new URL(SHOP + 'ref=x'), '')._campaign).toBeUndefined();
    expect(readArrival(new URL(SHOP), '')._props).toEqual({});
  });
});
