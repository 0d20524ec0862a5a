import type { Props, Source } from '../types';
import { CLICK_IDS, hostOf, isInternalHost, readArrival, UTM } from './arrival';

/** How a session arrived, and the props its first `page_view` carries. */
export interface Attribution {
  source: Source;
  props: Props;
}

// Host patterns on the lower-case hostname (subdomains such as www., m., l. need no special case).
// Webmail front ends come first: mail.google.com is e-mail, not search. deref-*: GMX/web.de redirectors.
const WEBMAIL = /^(mail|webmail|outlook|deref-\w+)\./;
const SEARCH = /(^|\.)(google|bing|yahoo|duckduckgo|baidu|yandex|ecosia|qwant|naver|seznam|brave)\./;
// Short hosts are matched whole so t.example.org is no t.co. `\.?$`: also tests a bare utm_source.
const SOCIAL =
  /(^|\.)((facebook|instagram|twitter|linkedin|pinterest|tiktok|youtube|reddit|snapchat|whatsapp|threads|bsky|vk|tumblr)\.|(t\.co|x\.com|t\.me|fb\.me|lnkd\.in|pin\.it|youtu\.be)\.?$)/;
const EMAIL = /^e-?mail|newsletter/;

type Found = Source | undefined;

const byHost = (host: string): Found =>
  WEBMAIL.test(host) ? 'email' : SEARCH.test(host) ? 'search' : SOCIAL.test(host) ? 'social' : undefined;

const byMedium = (m: string): Found =>
  /^(cpc|ppc|cpm|cpv|paid|display|banner|retarget)/.test(m)
    ? 'paid'
    : EMAIL.test(m)
      ? 'email'
      : /social/.test(m)
        ? 'social'
        : /^organic|search/.test(m)
          ? 'search'
          : undefined;

/**
 * Where a visit came from: ad click ids, then campaign tags, then the referrer (own site and
 * payment returns are internal), then `?ref=`. Never throws.
 */
export const classifySource = (url: URL, referrer: string): Attribution => {
  const q = url.searchParams;
  // The tag's own reading of the arrival, then the category on top of it.
  const props = readArrival(url, referrer)._props;
  const ref = props.ref;
  const tagged = Object.keys(props).length - (ref ? 1 : 0);
  const tag = (k: string) => (props[UTM + k] || '') as string;
  const host = hostOf(referrer);
  const medium = tag('medium').toLowerCase();
  const name = tag('source').toLowerCase();
  const source: Source = CLICK_IDS.some((k) => q.has(k))
    ? 'paid'
    : tagged
      ? byMedium(medium) || (EMAIL.test(name) ? 'email' : byHost(name + '.')) || 'referral'
      : host && isInternalHost(host, url.hostname)
        ? 'internal'
        : ref
          ? 'referral'
          : host
            ? byHost(host) || 'referral'
            : 'direct';
  props.source = source;
  return { source, props };
};

/** Whether a source counts as arriving from outside (README, "Journey stages": such a visit starts in awareness). */
export const isExternal = (s: Source): boolean => s != 'direct' && s != 'internal';
