import { describe, expect, it } from 'vitest';
import { classifySource as inPage } from '../../src/stages/source.ts';
import { classifySource } from '../../examples/collector/lib/source.js';

const SHOP = 'https://www.shop.example/products/tee';
// Referrers and parameters of every rule: the tracker's classes are the reference (src/stages/source.ts).
const CASES = [
  ['', ''],
  ['', 'not a url'],
  ...[
    'https://www.google.com/',
    'https://www.google.co.uk/',
    'https://www.bing.com/search?q=tee',
    'https://duckduckgo.com/',
    'https://search.yahoo.com/',
    'https://www.ecosia.org/',
    'https://yandex.ru/',
    'https://m.facebook.com/',
    'https://l.facebook.com/l.php?u=x',
    'https://www.instagram.com/',
    'https://t.co/abc',
    'https://x.com/someone',
    'https://uk.pinterest.com/',
    'https://pin.it/abc',
    'https://old.reddit.com/r/x',
    'https://mail.google.com/',
    'https://outlook.live.com/',
    'https://deref-gmx.net/mail/client/x',
    'https://someblog.example.org/post',
    'https://fox.com/',
    'https://t.other.example/',
    'https://www.shop.example/collections/all',
    'https://shop.example/',
    'https://blog.shop.example/post',
    'https://www.paypal.com/checkoutnow?token=x',
    'https://checkout.stripe.com/c/pay/cs_x',
    'https://hooks.stripe.com/3d_secure_2/x',
    'https://checkoutshopper-live.adyen.com/checkoutshopper/',
    'https://pay.klarna.com/eu/x',
    'https://acs.somebank.example/challenge',
    'https://3ds2.psp.example/method',
    'https://centinelapi.cardinalcommerce.com/V1/',
    'https://user:pw@WWW.Google.COM:443/x',
  ].map((r) => ['', r]),
  ...[
    '?ref=alice',
    '?utm_source=newsletter',
    '?utm_source=spring&utm_medium=email',
    '?utm_source=x&utm_medium=E-Mail',
    '?utm_source=google&utm_medium=cpc',
    '?utm_medium=ppc',
    '?utm_source=facebook&utm_medium=paid_social',
    '?utm_medium=paidsearch',
    '?utm_medium=display',
    '?utm_source=ig&utm_medium=social',
    '?utm_source=x&utm_medium=organic',
    '?utm_source=facebook',
    '?utm_source=google',
    '?utm_source=x.com',
    '?utm_source=T.co',
    '?utm_source=mail',
    '?utm_campaign=spring',
    '?utm_source=&ref=',
    '?utm_source=news%20letter&utm_medium=e%2Dmail',
    '?utm_source=a+b&x=1#utm_medium=cpc',
    '?gclid=abc',
    '?fbclid=abc',
    '?msclkid=abc',
    '?ttclid=abc',
    '?wbraid=abc',
    '?gbraid=abc',
    '?utm_medium=email&gclid=1',
  ].flatMap((q) => [
    [q, ''],
    [q, 'https://t.co/x'],
    [q, 'https://www.shop.example/'],
    [q, 'https://www.google.com/'],
  ]),
];

describe('collector classifySource', () => {
  it.each(CASES)('query %j, referrer %j: the tracker’s class, from the URL', (query, referrer) => {
    const expected = inPage(new URL(SHOP + query), referrer).source;
    expect(classifySource(SHOP + query, referrer).source).toBe(expected);
  });

  it.each(CASES)('query %j, referrer %j: the tracker’s class, from the props of the first page view', (query, referrer) => {
    // What the tracker sends once it stops classifying: utm_* and ref as props, the URL as the page had it.
    const { props } = inPage(new URL(SHOP + query), referrer);
    const { source: _, ...sent } = props;
    expect(classifySource(SHOP + query.replace(/utm_\w+=[^&#]*&?|ref=[^&#]*&?/g, ''), referrer, sent).source).toBe(
      inPage(new URL(SHOP + query), referrer).source,
    );
  });

  it('compares hosts of two-part public suffixes and IP addresses as the tracker does', () => {
    const pairs = [
      ['https://shop.co.uk/', 'https://another.co.uk/'],
      ['https://shop.co.uk/', 'https://www.shop.co.uk/'],
      ['http://127.0.0.1:8787/shop/', 'http://127.0.0.1:9999/'],
      ['http://192.168.0.1/', 'http://10.0.0.1/'],
      ['http://localhost:8787/', 'http://localhost:3000/'],
    ];
    for (const [page, referrer] of pairs)
      expect(classifySource(page, referrer).source).toBe(inPage(new URL(page), referrer).source);
  });

  it('names the referring site for arrivals from outside only', () => {
    expect(classifySource(SHOP, 'https://www.google.com/search?q=1').host).toBe('google.com');
    expect(classifySource(SHOP, 'https://news.ycombinator.com/item?id=1').host).toBe('news.ycombinator.com');
    expect(classifySource(SHOP, 'https://www.shop.example/cart').host).toBeNull();
    expect(classifySource(SHOP, 'https://www.paypal.com/x').host).toBeNull();
    expect(classifySource(SHOP, '').host).toBeNull();
  });
});
