/**
 * `referral(options?)`: attribution touches and share clicks.
 *
 * - On every page view it reads the page URL's referral code (the first of `params` present),
 *   `utm_source`, `utm_medium`, `utm_campaign` and which click id (`gclid`, `fbclid`, `msclkid`,
 *   `ttclid`) is present — the name only, never its value — plus, on a session's first page
 *   view, where it came from. That is a touch `{source, medium, campaign, ref, click}`:
 *   `source` is `utm_source` when there is one, else on a session's first page view the
 *   referrer's site (`google.com`; never the shop's own or a payment provider's) or `direct`.
 * - First touch: the first page view with any of that; never overwritten.
 *   Last touch: replaced by every page view bringing a campaign, a referral code, a click id
 *   or an outside referrer. Both are kept in the plugin's state.
 * - `purchase` gets `first_touch` and `last_touch`.
 * - `referral_share` `{method, url}` on clicks of share links (Facebook, X/Twitter, LinkedIn,
 *   Pinterest, WhatsApp, Telegram, Reddit share URLs and `mailto:`; `url` is the shared page,
 *   never the mail address) and of any element with `data-journey-share="<method>"` (empty:
 *   `native`). navigator.share is not patched (globals are the shop's): put
 *   `data-journey-share` on the button that calls it, or call
 *   `journey.track('referral_share', {method: 'native', url})` once its promise resolves.
 *
 * Options:
 * - `params`: referral code parameter names, default `['ref', 'referral', 'aff', 'via']`.
 * - `share: false`: no share-click listener.
 *
 * `referralLink(url, code, param = 'ref')` builds a shop's referral link for a visitor's code.
 */
import type { Plugin, PluginState } from '../types';
import { CLICK_IDS, hostOf, isInternalHost, site } from '../stages/arrival';

export interface ReferralOptions {
  params?: string[];
  share?: boolean;
}

/** One attribution touch, as sent in `first_touch` / `last_touch`. */
export interface Touch {
  source?: string;
  medium?: string;
  campaign?: string;
  ref?: string;
  click?: string;
}

/** Persisted: `f` first touch, `l` last touch, `s` the session of the latest page view. */
interface ReferralState {
  f?: Touch;
  l?: Touch;
  s?: string;
}

// Host label (after `//` or a dot) + share path; `wa.me/?text=` shares have an empty path.
const SHARE =
  /^(mailto|whatsapp):|^https?:\/\/(?:[\w-]+\.)*?(facebook|twitter|x|linkedin|pinterest|reddit|t|telegram|wa|whatsapp)\.(?:com|me|org)\/(?:share|sharing|dialog\/share|intent|pin\/create|submit|send|\?)/i;
const METHOD: Record<string, string> = { t: 'telegram', wa: 'whatsapp', twitter: 'x', mailto: 'email' };

/** A link to `url` carrying the referral `code` (absolute; `url` unchanged if it cannot be parsed). */
export const referralLink = (url: string, code: string, param = 'ref'): string => {
  try {
    const u = new URL(url, typeof location != 'undefined' ? location.href : undefined);
    u.searchParams.set(param, code);
    return u.href;
  } catch {
    return url;
  }
};

/** What a share link shares: its `u`/`url` parameter, else the current page. */
const shared = (href: string) => {
  try {
    const s = new URL(href).searchParams;
    const u = s.get('url') || s.get('u');
    if (/^https?:/.test(u!)) return u!;
  } catch {}
  return location.href;
};

export const referral = (options: ReferralOptions = {}): Plugin => {
  let st: PluginState<ReferralState> | undefined;
  const params = options.params || ['ref', 'referral', 'aff', 'via'];
  return {
    name: 'referral',
    setup(ctx) {
      const s = (st = ctx.state<ReferralState>());
      // `event` rather than `page`: the session's first page view carries the core's utm props.
      ctx.on('event', (e) => {
        if (e.type != 'page_view') return;
        const p = e.props;
        const q = new URLSearchParams(location.search);
        // The core's props first: it may have stripped parameters from the URL already.
        const get = (k: string) => {
          const v = p[k] ?? q.get(k);
          return v ? ('' + v).slice(0, 100) : undefined;
        };
        const c = s.get() || {};
        const ref = params.map(get).find((v) => v);
        // The first four of the core's list (Google, Meta, Microsoft, TikTok): one list in the tag, not two.
        const click = CLICK_IDS.slice(0, 4).find((k) => q.has(k));
        // A session's first page view says where the visit came from: the referrer's site, or `direct` when there
        // is none and no code or click id either (the traffic source category is the collector's to derive).
        const host = c.s != e.session_id && hostOf(e.referrer);
        const src =
          host === ''
            ? ref || click
              ? undefined
              : 'direct'
            : host && !isInternalHost(host, location.hostname)
              ? site(host)
              : undefined;
        const utm = get('utm_source');
        const t: Touch = { source: utm || src, medium: get('utm_medium'), campaign: get('utm_campaign'), ref, click };
        const news = t.medium || t.campaign || ref || click || utm || (src != 'direct' && src);
        // Without news only the very first touch is recorded (e.g. a direct first visit).
        if ((news || src) && (!c.f || news)) s.set({ f: c.f || t, l: t, s: e.session_id });
        else if (host !== false) s.set({ ...c, s: e.session_id });
      });
      if (options.share !== false)
        ctx.listen(document, 'click', (ev) => {
          const el = (ev.target as Element)?.closest?.('a[href],[data-journey-share]');
          if (!el) return;
          const attr = el.getAttribute('data-journey-share');
          const href = (el as HTMLAnchorElement).href || '';
          const m = SHARE.exec(href);
          const hit = m && (m[1] || m[2]).toLowerCase();
          const method = attr != null ? attr || 'native' : hit && (METHOD[hit] || hit);
          if (method) ctx.track('referral_share', { method, url: shared(href) });
        });
    },
    beforeSend(e) {
      // The type first: no state read for the other events.
      const c = e.type == 'purchase' && st?.get();
      if (c) {
        e.props.first_touch = c.f;
        e.props.last_touch = c.l;
      }
      return e;
    },
  };
};
