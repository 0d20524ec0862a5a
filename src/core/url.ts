/**
 * What of a URL may be stored: query parameters that carry secrets or personal data are removed, and e-mail
 * addresses, phone numbers and card numbers anywhere in it (query values and path decoded first) are masked.
 */
const SECRET_PARAMS =
  'token,access_token,auth,password,pass,pwd,secret,key,apikey,api_key,email,e-mail,mail,phone,tel,session,sessionid,session_id,sid,code,state';
// One pass, three kinds: (1) e-mail, (2) 13–19 digits maybe grouped by spaces or dashes, a card only when the Luhn
// check passes (order numbers rarely do), (3) phones: `+` and 7–15 digits, or the North American (555) 123-4567.
// Bare digit runs are not phones: order numbers and dates look the same.
const PII =
  /([^\s@/?&=#:]+(?:@|%40)[^\s@/?&=#]+\.[a-z]{2,})|(\b\d(?:[ -]?\d){12,18}\b)|\+\d(?:[\s.()-]{0,2}\d){6,14}|\(\d{3}\)\s?\d{3}[\s.-]\d{4}/gi;
const MAX_URL = 2e3;

const luhn = (d: string): boolean => {
  let s = 0;
  // From the right, every second digit doubled (k: 1, 2, 1, …); a two-digit product counts its digit sum.
  for (let i = d.length, k = 1, n; i--; k = 3 - k) s += (n = +d[i] * k) > 9 ? n - 9 : n;
  return s % 10 == 0;
};

// A linear pre-check: PII's e-mail branch backtracks over every start position of a long word, and most
// strings (names, SKUs, categories) hold no `@` and no run of 7 digit-ish characters, so they skip it.
const MAYBE = /@|%40|\d[\d\s().-]{6}/;

export const scrubText = (s: string): string =>
  MAYBE.test(s)
    ? s.replace(PII, (m, mail, card) => (mail ? '[email]' : !card ? '[phone]' : luhn(card.replace(/\D/g, '')) ? '[card]' : m))
    : s;

export const createUrlCleaner = (extra: string[] = []) => {
  // A string join, not map(): some pages patch Array.prototype.map to throw.
  const strip = (SECRET_PARAMS + ',' + extra).toLowerCase().split(',');
  return (href: string): string => {
    try {
      const url = new URL(href);
      const q = url.searchParams;
      let path = url.pathname;
      try {
        path = decodeURIComponent(path);
      } catch {
        // A stray `%`: the path as it is.
      }
      const clean = scrubText(path);
      for (const [k, v] of Array.from(q)) {
        const s = scrubText(v);
        // Only touched parameters change: URLSearchParams re-encodes what it writes.
        if (strip.includes(k.toLowerCase())) q.delete(k);
        else if (s != v) q.set(k, s);
      }
      if (clean != path) url.pathname = clean;
      return scrubText(url.href).slice(0, MAX_URL);
    } catch {
      return scrubText(String(href).slice(0, MAX_URL));
    }
  };
};
