import { describe, expect, it } from 'vitest';
import { createUrlCleaner, scrubText } from '../../../src/core/url';

describe('createUrlCleaner', () => {
  const clean = createUrlCleaner(['coupon_secret']);

  it('removes secret query parameters and keeps the rest', () => {
    expect(clean('https://shop.example/account?token=abc&page=2&Password=x&utm_source=mail')).toBe(
      'https://shop.example/account?page=2&utm_source=mail',
    );
  });

  it('removes parameters from the stripParams option', () => {
    expect(clean('https://shop.example/?coupon_secret=1&q=shirt')).toBe('https://shop.example/?q=shirt');
  });

  it('masks e-mail addresses anywhere in the URL, encoded or not', () => {
    // A masked query value is written back through URLSearchParams, which percent-encodes the brackets.
    expect(clean('https://shop.example/search?q=jane.doe@example.com')).toBe('https://shop.example/search?q=%5Bemail%5D');
    expect(clean('https://shop.example/u/jane%40example.com/orders')).toBe('https://shop.example/u/[email]/orders');
  });

  it('survives a string that is not a URL', () => {
    expect(clean('not a url a@b.co')).toBe('not a url [email]');
  });
});

describe('scrubText', () => {
  it('leaves ordinary titles alone', () => {
    expect(scrubText('Shirt – My Shop')).toBe('Shirt – My Shop');
  });
});
