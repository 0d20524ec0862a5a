import { describe, expect, it } from 'vitest';
import { classifySource, isExternal } from '../../../src/stages/source';
import type { Source } from '../../../src/types';

const SHOP = 'https://www.shop.example/products/tee';
const source = (query: string, referrer = '', page = SHOP) => classifySource(new URL(page + query), referrer).source;

describe('classifySource', () => {
  const table: [name: string, query: string, referrer: string, expected: Source][] = [
    ['no referrer, no tags', '', '', 'direct'],
    ['an unparsable referrer', '', 'not a url', 'direct'],
    // search engines
    ['Google', '', 'https://www.google.com/', 'search'],
    ['Google UK', '', 'https://www.google.co.uk/', 'search'],
    ['Bing', '', 'https://www.bing.com/search?q=tee', 'search'],
    ['DuckDuckGo', '', 'https://duckduckgo.com/', 'search'],
    ['Yahoo search', '', 'https://search.yahoo.com/', 'search'],
    ['Ecosia', '', 'https://www.ecosia.org/', 'search'],
    ['Yandex', '', 'https://yandex.ru/', 'search'],
    ['Baidu', '', 'https://www.baidu.com/', 'search'],
    // social
    ['Facebook mobile', '', 'https://m.facebook.com/', 'social'],
    ['Facebook link shim', '', 'https://l.facebook.com/l.php?u=x', 'social'],
    ['Instagram', '', 'https://www.instagram.com/', 'social'],
    ['t.co', '', 'https://t.co/abc', 'social'],
    ['x.com', '', 'https://x.com/someone', 'social'],
    ['LinkedIn', '', 'https://www.linkedin.com/', 'social'],
    ['Pinterest UK', '', 'https://uk.pinterest.com/', 'social'],
    ['pin.it', '', 'https://pin.it/abc', 'social'],
    ['TikTok', '', 'https://www.tiktok.com/', 'social'],
    ['YouTube', '', 'https://www.youtube.com/', 'social'],
    ['Reddit', '', 'https://old.reddit.com/r/x', 'social'],
    // webmail
    ['Gmail', '', 'https://mail.google.com/', 'email'],
    ['Yahoo mail', '', 'https://mail.yahoo.com/', 'email'],
    ['Outlook', '', 'https://outlook.live.com/', 'email'],
    ['GMX redirector', '', 'https://deref-gmx.net/mail/client/x', 'email'],
    // other sites
    ['a blog', '', 'https://someblog.example.org/post', 'referral'],
    ['a site ending in x.com', '', 'https://fox.com/', 'referral'],
    ['a t. subdomain of another site', '', 'https://t.other.example/', 'referral'],
    ['a ref link, no referrer', '?ref=alice', '', 'referral'],
    ['a ref link from social', '?ref=alice', 'https://t.co/x', 'referral'],
    // internal
    ['the same host', '', 'https://www.shop.example/collections/all', 'internal'],
    ['the bare domain', '', 'https://shop.example/', 'internal'],
    ['a subdomain', '', 'https://blog.shop.example/post', 'internal'],
    ['an internal link with ?ref=', '?ref=nav', 'https://www.shop.example/', 'internal'],
    ['PayPal return', '', 'https://www.paypal.com/checkoutnow?token=x', 'internal'],
    ['Stripe checkout return', '', 'https://checkout.stripe.com/c/pay/cs_x', 'internal'],
    ['Stripe 3DS hooks', '', 'https://hooks.stripe.com/3d_secure_2/x', 'internal'],
    ['Adyen', '', 'https://checkoutshopper-live.adyen.com/checkoutshopper/', 'internal'],
    ['Klarna', '', 'https://pay.klarna.com/eu/x', 'internal'],
    ['a bank ACS page', '', 'https://acs.somebank.example/challenge', 'internal'],
    ['a 3DS server', '', 'https://3ds2.psp.example/method', 'internal'],
    ['Cardinal Commerce', '', 'https://centinelapi.cardinalcommerce.com/V1/', 'internal'],
    // tags
    ['a newsletter utm_source', '?utm_source=newsletter', '', 'email'],
    ['utm_medium email', '?utm_source=spring&utm_medium=email', '', 'email'],
    ['utm_medium e-mail', '?utm_source=x&utm_medium=E-Mail', '', 'email'],
    ['utm_medium cpc', '?utm_source=google&utm_medium=cpc', 'https://www.google.com/', 'paid'],
    ['utm_medium ppc', '?utm_medium=ppc', '', 'paid'],
    ['utm_medium paid_social', '?utm_source=facebook&utm_medium=paid_social', '', 'paid'],
    ['utm_medium paidsearch', '?utm_medium=paidsearch', '', 'paid'],
    ['utm_medium display', '?utm_medium=display', '', 'paid'],
    ['utm_medium social', '?utm_source=ig&utm_medium=social', '', 'social'],
    ['utm_medium organic', '?utm_source=x&utm_medium=organic', '', 'search'],
    ['utm_source facebook only', '?utm_source=facebook', '', 'social'],
    ['utm_source google only', '?utm_source=google', '', 'search'],
    ['utm_source x.com only', '?utm_source=x.com', '', 'social'],
    ['utm_source t.co only', '?utm_source=T.co', '', 'social'],
    ['utm_source gmail-ish', '?utm_source=mail', '', 'email'],
    ['an unknown campaign', '?utm_campaign=spring', '', 'referral'],
    ['tags on an internal link', '?utm_source=newsletter', 'https://www.shop.example/', 'email'],
    // click ids
    ['gclid', '?gclid=abc', 'https://www.google.com/', 'paid'],
    ['fbclid', '?fbclid=abc', 'https://l.facebook.com/', 'paid'],
    ['msclkid', '?msclkid=abc', '', 'paid'],
    ['ttclid', '?ttclid=abc', '', 'paid'],
    ['wbraid', '?wbraid=abc', '', 'paid'],
    ['gbraid', '?gbraid=abc', '', 'paid'],
    ['a click id beats email tags', '?utm_medium=email&gclid=1', '', 'paid'],
  ];
  it.each(table)('%s -> %s', (_, query, referrer, expected) => expect(source(query, referrer)).toBe(expected));

  it('treats other sites on a two-part public suffix as outside', () => {
    expect(source('', 'https://another.co.uk/', 'https://shop.co.uk/')).toBe('referral');
    expect(source('', 'https://www.shop.co.uk/', 'https://shop.co.uk/')).toBe('internal');
  });

  it('compares IP hosts whole', () => {
    expect(source('', 'http://127.0.0.1:9999/', 'http://127.0.0.1:8787/shop/')).toBe('internal');
    expect(source('', 'http://10.0.0.1/', 'http://192.168.0.1/')).toBe('referral');
    expect(source('', 'http://localhost:3000/', 'http://localhost:8787/')).toBe('internal');
  });

  it('carries the campaign tags, ref and source as props', () => {
    const a = classifySource(
      new URL(
        SHOP + '?utm_source=newsletter&utm_medium=email&utm_campaign=spring%20sale&utm_term=tee&utm_content=hero&ref=alice&x=1',
      ),
      '',
    );
    expect(a).toEqual({
      source: 'email',
      props: {
        utm_source: 'newsletter',
        utm_medium: 'email',
        utm_campaign: 'spring sale',
        utm_term: 'tee',
        utm_content: 'hero',
        ref: 'alice',
        source: 'email',
      },
    });
  });

  it('carries only the source when there are no tags', () => {
    expect(classifySource(new URL(SHOP), 'https://www.google.com/')).toEqual({
      source: 'search',
      props: { source: 'search' },
    });
  });

  it('leaves empty tags out', () => {
    expect(classifySource(new URL(SHOP + '?utm_source=&ref='), '').props).toEqual({ source: 'direct' });
  });
});

describe('isExternal', () => {
  it.each([
    ['search', true],
    ['social', true],
    ['paid', true],
    ['referral', true],
    ['email', true],
    ['direct', false],
    ['internal', false],
  ] as [Source, boolean][])('%s -> %s', (s, ext) => expect(isExternal(s)).toBe(ext));
});
