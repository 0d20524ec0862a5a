// Device class, browser, OS and bot-or-not of a User-Agent, parsed once per distinct string: a site's visitors
// share a few hundred of them, and a parse costs about 20 µs where a Map lookup costs well under one.
import { isbot } from 'isbot';
import UAParser from 'my-ua-parser';

/** @typedef {{ device: string | null, browser: string | null, os: string | null, bot: boolean }} Agent */

// The parser's names where two of them mean one thing to a shop owner.
/** @type {Record<string, string>} */
const NAMES = { 'Mobile Safari': 'Safari', 'Mac OS': 'macOS', 'Chrome WebView': 'Chrome', 'Android Browser': 'Android' };
/** @param {string | undefined} s */
const named = (s) => (s ? (NAMES[s] ?? s).slice(0, 50) : null);
// The parser names phones `mobile` and leaves desktops without a type; consoles, TVs and wearables are rare in a
// shop's traffic and counted apart.
/** @type {Record<string, string>} */
const DEVICES = { mobile: 'mobile', tablet: 'tablet', smarttv: 'tv', console: 'console', wearable: 'mobile', embedded: 'other' };
const CACHE = 2000;

/**
 * A bot is a crawler that ran the tag: a browser's User-Agent (`Mozilla/…`) that isbot names as one (Googlebot,
 * bingbot, HeadlessChrome, Lighthouse…). A request with no browser User-Agent at all (curl, a Node or Python
 * HTTP client) is a server sending events on purpose, such as a shop's backend reporting a purchase: kept.
 * @param {string} ua
 */
const isCrawler = (ua) => ua.startsWith('Mozilla/') && isbot(ua);

/** @returns {(ua: string | undefined) => Agent} */
export const createAgentParser = () => {
  /** @type {Map<string, Agent>} */
  const seen = new Map();
  return (ua = '') => {
    let a = seen.get(ua);
    if (a) return a;
    if (!ua.startsWith('Mozilla/') && !ua.startsWith('Opera/')) a = { device: null, browser: null, os: null, bot: false };
    else {
      const r = new UAParser(ua).getResult();
      a = {
        device: DEVICES[r.device.type ?? ''] ?? (r.os.name || r.browser.name ? 'desktop' : null),
        browser: named(r.browser.name),
        os: named(r.os.name),
        bot: isCrawler(ua),
      };
    }
    // Dropped whole when full: cheaper than an LRU, and a site's own agents are back in it within a second.
    if (seen.size >= CACHE) seen.clear();
    seen.set(ua, a);
    return a;
  };
};
