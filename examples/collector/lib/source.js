// How a session arrived, derived at ingest from its first page view's URL (campaign tags, ad click ids, `ref`)
// and referrer: search, social, paid, referral, email, direct or internal. The same rules as the tracker's
// classifySource (src/stages/source.ts; a test keeps the two equal), kept here so the lists below change with
// the collector, not with the tag every shop embeds.

const TAGS = ['source', 'medium', 'campaign', 'term', 'content'];
// Click ids of ad networks: their presence alone means a paid click (Google incl. its iOS ids,
// Meta, Microsoft, TikTok, DoubleClick, X, LinkedIn, Yandex).
export const CLICK_IDS = ['gclid', 'fbclid', 'msclkid', 'ttclid', 'wbraid', 'gbraid', 'dclid', 'twclid', 'li_fat_id', 'yclid'];
// Host patterns on the lower-case hostname (subdomains such as www., m., l. need no special case).
// Webmail front ends come first: mail.google.com is e-mail, not search. deref-*: GMX/web.de redirectors.
export const WEBMAIL = /^(mail|webmail|outlook|deref-\w+)\./;
export const SEARCH = /(^|\.)(google|bing|yahoo|duckduckgo|baidu|yandex|ecosia|qwant|naver|seznam|brave)\./;
// Short hosts are matched whole so t.example.org is no t.co. `\.?$`: also tests a bare utm_source.
export const SOCIAL =
  /(^|\.)((facebook|instagram|twitter|linkedin|pinterest|tiktok|youtube|reddit|snapchat|whatsapp|threads|bsky|vk|tumblr)\.|(t\.co|x\.com|t\.me|fb\.me|lnkd\.in|pin\.it|youtu\.be)\.?$)/;
// Returns from payment providers and 3-D Secure (ACS) pages continue the visit: no arrival.
export const PAY =
  /(^|\.)(paypal|stripe|adyen|klarna|mollie|braintreegateway|cardinalcommerce|arcot)\.|(^|[.-])(acs\d*|3ds\w*)[.-]/;
const EMAIL = /^e-?mail|newsletter/;

/** @param {string} host @returns {string | undefined} */
const byHost = (host) => (WEBMAIL.test(host) ? 'email' : SEARCH.test(host) ? 'search' : SOCIAL.test(host) ? 'social' : undefined);

/** @param {string} m @returns {string | undefined} */
const byMedium = (m) =>
  /^(cpc|ppc|cpm|cpv|paid|display|banner|retarget)/.test(m)
    ? 'paid'
    : EMAIL.test(m)
      ? 'email'
      : /social/.test(m)
        ? 'social'
        : /^organic|search/.test(m)
          ? 'search'
          : undefined;

/** The registrable part of a host, roughly (no public suffix list): `a.shop.co.uk` -> `shop.co.uk`. @param {string} host */
const siteOf = (host) => {
  const p = host.split('.');
  // IP addresses compare whole; a short label before a 2-letter TLD (co.uk, com.au) keeps three labels.
  return /\d$/.test(host)
    ? host
    : p.slice((p[p.length - 2] || '').length < 4 && p[p.length - 1].length === 2 ? -3 : -2).join('.');
};

// Regexes, not new URL(): this runs for every page view at ingest, where the URL parser cost 6 µs a call.
const HOST = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#@]*@)?(\[[^\]]*\]|[^/?#:]*)/i;
/** The lower-case host of an absolute URL, else ''. @param {string} href */
const hostOf = (href) => HOST.exec(href)?.[1].toLowerCase() ?? '';

/**
 * The query parameters of a URL, first value of each name, decoded as URLSearchParams does.
 * @param {string} url @returns {Map<string, string>}
 */
const queryOf = (url) => {
  /** @type {Map<string, string>} */
  const q = new Map();
  const start = url.indexOf('?');
  if (start < 0) return q;
  const end = url.indexOf('#', start);
  for (const pair of url.slice(start + 1, end < 0 ? undefined : end).split('&')) {
    const eq = pair.indexOf('=');
    const k = decode(eq < 0 ? pair : pair.slice(0, eq));
    if (!q.has(k)) q.set(k, eq < 0 ? '' : decode(pair.slice(eq + 1)));
  }
  return q;
};
/** @param {string} s */
const decode = (s) => {
  if (!s.includes('%') && !s.includes('+')) return s;
  const t = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(t);
  } catch {
    return t;
  }
};

/**
 * The session's source and its referrer's host (www. removed; only for arrivals from another site), from a
 * page view. Tags and `ref` are read from the props the tracker sends with the first page view of a session,
 * else from the page's URL. Never throws.
 * @param {string} url the page
 * @param {string} referrer
 * @param {Record<string, unknown>} [props]
 * @returns {{ source: string, host: string | null }}
 */
export const classifySource = (url, referrer, props = {}) => {
  const q = queryOf(url);
  /** @param {string} k */
  const read = (k) => {
    const v = props[k];
    return typeof v === 'string' && v ? v : (q.get(k) ?? '');
  };
  let tagged = 0;
  for (const t of TAGS) if (read(`utm_${t}`)) tagged++;
  const ref = read('ref');
  const host = hostOf(referrer);
  const own = hostOf(url);
  const medium = read('utm_medium').toLowerCase();
  const name = read('utm_source').toLowerCase();
  const inside = Boolean(host) && (siteOf(host) === siteOf(own) || PAY.test(host));
  const source =
    q.size && CLICK_IDS.some((k) => q.has(k))
      ? 'paid'
      : tagged
        ? byMedium(medium) || (EMAIL.test(name) ? 'email' : byHost(`${name}.`)) || 'referral'
        : inside
          ? 'internal'
          : ref
            ? 'referral'
            : host
              ? byHost(host) || 'referral'
              : 'direct';
  return { source, host: host && !inside ? host.replace(/^www\./, '').slice(0, 200) : null };
};
