import { afterEach, describe, expect, it } from 'vitest';
import { referral, referralLink } from '../../../src/plugins/referral';
import { createFake, type Fake } from './fake-context';

let fake: Fake;
const start = (opts?: Parameters<typeof referral>[0], store = new Map<string, string>()) =>
  (fake = createFake({ store })).use(referral(opts));
/** A page view at `search`, referred by `referrer` (a session's first page view carries the core's utm/ref props). */
const visit = (search: string, props?: Record<string, unknown>, referrer = '') => {
  history.replaceState(null, '', '/' + search);
  fake.referrer = referrer;
  return fake.page(props);
};
afterEach(() => {
  fake.destroy();
  history.replaceState(null, '', '/');
  document.body.innerHTML = '';
});

describe('attribution touches', () => {
  it('keeps the first touch and moves the last touch with new campaign or referral info', () => {
    start();
    visit('?utm_source=newsletter&utm_medium=email&utm_campaign=spring', { utm_source: 'newsletter' });
    visit('products/a', {}, location.origin + '/');
    visit('?via=anna', {}, location.origin + '/products/a');
    const p = fake.track('purchase', { transaction_id: 'T1' })!.props;
    expect(p.first_touch).toEqual({ source: 'newsletter', medium: 'email', campaign: 'spring' });
    expect(p.last_touch).toEqual({ ref: 'anna' });
  });

  it('works the same when the core notifies `event` after beforeSend', () => {
    fake = createFake({ notifyAfter: true }).use(referral());
    visit('?ref=amy', { ref: 'amy' });
    visit('?utm_campaign=sale');
    const p = fake.track('purchase')!.props;
    expect(p.first_touch).toEqual({ ref: 'amy' });
    expect(p.last_touch).toEqual({ campaign: 'sale' });
  });

  it('does not let a direct or internal page view overwrite the last touch', () => {
    start();
    visit('?ref=bob', { ref: 'bob' });
    fake.newSession('S2');
    visit('');
    fake.newSession('S3');
    visit('', {}, location.origin + '/');
    fake.newSession('S4');
    visit('', {}, 'https://www.paypal.com/checkoutnow');
    expect(fake.track('purchase')!.props.last_touch).toEqual({ ref: 'bob' });
  });

  it('an outside referrer opening a session moves the last touch; a direct first visit is the first touch', () => {
    start();
    visit('');
    fake.newSession('S2');
    visit('', {}, 'https://www.google.com/search?q=shoes');
    const p = fake.track('purchase')!.props;
    expect(p.first_touch).toEqual({ source: 'direct' });
    expect(p.last_touch).toEqual({ source: 'google.com' });
  });

  it("reads the referrer on a session's first page view only", () => {
    start();
    visit('');
    visit('', {}, 'https://www.google.com/');
    expect(fake.track('purchase')!.props.last_touch).toEqual({ source: 'direct' });
  });

  it('records which click id is present, never its value', () => {
    start();
    visit('?gclid=SECRET123&utm_source=google', { utm_source: 'google' });
    const p = fake.track('purchase')!.props;
    expect(p.last_touch).toEqual({ source: 'google', click: 'gclid' });
    expect(JSON.stringify(p)).not.toContain('SECRET123');
  });

  it('uses the configured referral parameter names', () => {
    start({ params: ['partner'] });
    visit('?ref=ignored&partner=p-7');
    expect(fake.track('purchase')!.props.first_touch).toEqual({ ref: 'p-7' });
  });

  it('keeps the touches across a reload and leaves other events alone', () => {
    const store = new Map<string, string>();
    start(undefined, store);
    visit('?aff=x1');
    fake.destroy();
    start(undefined, store);
    expect(fake.track('add_to_cart', { value: 1 })!.props).toEqual({ value: 1 });
    expect(fake.track('purchase')!.props.first_touch).toEqual({ ref: 'x1' });
  });

  it('sends no touches before any attribution was seen', () => {
    start();
    visit('products/a', {}, location.origin + '/');
    expect(fake.track('purchase', { transaction_id: 'T' })!.props).toEqual({ transaction_id: 'T' });
  });
});

describe('referral_share', () => {
  const click = (html: string) => {
    document.body.innerHTML = html;
    const target = document.body.querySelector('[id=t]') || document.body.firstElementChild!;
    target.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
  };
  const shares = () => fake.of('referral_share').map((e) => e.props);
  const page = () => location.href;

  it.each([
    ['https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fshop.example%2Fp%2F1', 'facebook', 'https://shop.example/p/1'],
    ['https://twitter.com/intent/tweet?url=https%3A%2F%2Fshop.example%2Fp%2F2&text=hi', 'x', 'https://shop.example/p/2'],
    ['https://x.com/intent/post?text=hi', 'x', null],
    ['https://www.linkedin.com/sharing/share-offsite/?url=https%3A%2F%2Fshop.example%2F', 'linkedin', 'https://shop.example/'],
    ['https://pinterest.com/pin/create/button/?url=https%3A%2F%2Fshop.example%2Fp', 'pinterest', 'https://shop.example/p'],
    ['https://wa.me/?text=look', 'whatsapp', null],
    ['https://api.whatsapp.com/send?text=look', 'whatsapp', null],
    ['https://t.me/share/url?url=https%3A%2F%2Fshop.example%2Fq', 'telegram', 'https://shop.example/q'],
    ['https://www.reddit.com/submit?url=https%3A%2F%2Fshop.example%2Fr', 'reddit', 'https://shop.example/r'],
    ['mailto:friend@example.com?subject=Look&body=https%3A%2F%2Fshop.example', 'email', null],
  ])('a click on %s is a %s share', (href, method, url) => {
    start();
    click(`<a href="${href}"><span id="t">share</span></a>`);
    expect(shares()).toEqual([{ method, url: url || page() }]);
    expect(JSON.stringify(shares())).not.toContain('friend@');
  });

  it.each([
    'https://www.facebook.com/myshop',
    'https://evil-facebook.com/sharer.php',
    'https://wa.me/15551234567',
    'https://shop.example/share',
    '/products/a',
  ])('a click on %s is no share', (href) => {
    start();
    click(`<a href="${href}">x</a>`);
    expect(shares()).toEqual([]);
  });

  it('data-journey-share marks any element (e.g. the navigator.share button) and wins over the link', () => {
    start();
    click('<button data-journey-share><b id="t">Share</b></button>');
    click('<a data-journey-share="copy-link" href="https://www.facebook.com/sharer/sharer.php?u=x">copy</a>');
    expect(shares().map((p) => p.method)).toEqual(['native', 'copy-link']);
  });

  it('share: false listens to no clicks', () => {
    start({ share: false });
    click('<a href="mailto:a@b.example">mail</a>');
    expect(shares()).toEqual([]);
  });
});

describe('referralLink', () => {
  it('adds or replaces the code on absolute and relative URLs', () => {
    expect(referralLink('https://shop.example/p?x=1#top', 'ann', 'via')).toBe('https://shop.example/p?x=1&via=ann#top');
    expect(referralLink('https://shop.example/?ref=old', 'new')).toBe('https://shop.example/?ref=new');
    expect(referralLink('/products/a', 'c d')).toBe(location.origin + '/products/a?ref=c+d');
  });

  it('returns the input when it cannot build a URL', () => {
    expect(referralLink('http://[bad', 'x')).toBe('http://[bad');
  });
});
