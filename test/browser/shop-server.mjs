// The real demo shop (examples/shop) for the end-to-end tests: served unchanged on 127.0.0.1 with the
// built bundle, its relative `/collect` forwarded to a capture server, so the pages stay exactly as a
// shop owner ships them (same origin, relative endpoint) while the test sees every batch.
import { existsSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { ROOT } from './capture.mjs';
import { createStandin, sendFile } from './standin-server.mjs';

export const SHOP = join(ROOT, 'examples', 'shop');

/** Serve the shop under /shop/, the bundle files at /, and forward POST /collect to `collect` (a URL). */
export const createShopServer = ({ collect }) =>
  createStandin({
    collect,
    platform: {
      handle: async (req, res, path) => {
        if (req.method !== 'GET' || !path.startsWith('/shop/')) return false;
        let f = join(SHOP, normalize(path.slice(6)).replace(/^(\.\.[/\\])+/, ''));
        if (existsSync(f) && statSync(f).isDirectory()) f = join(f, 'index.html');
        return existsSync(f) && (await sendFile(res, f), true);
      },
    },
  });

/** Wait until the shop page's bundle has replaced the stub (the shop has no record.js). */
export const whenTracker = (page, timeout = 10_000) =>
  page.waitForFunction(() => !!(window.journey && window.journey.jt && typeof window.journey.flush === 'function'), null, {
    timeout,
    polling: 20,
  });

/** Open `url` in `page` and wait for the tracker. */
export const visit = async (page, url) => {
  await page.goto(url);
  await whenTracker(page);
};

/** Click what `selector` names, which navigates: wait for the new page's tracker. */
export const clickAway = async (page, selector, urlPart) => {
  await Promise.all([page.waitForURL((u) => u.href.includes(urlPart)), page.click(selector)]);
  await whenTracker(page);
};

export const flush = (page) => page.evaluate(() => window.journey.flush());

/** `type@stage`, and `stage_change:from>to`: a journey as a list a failure message shows whole. */
export const step = (e) => (e.type === 'stage_change' ? `stage_change:${e.props.from}>${e.props.to}` : `${e.type}@${e.stage}`);

/** A receiver's order: event time, then id (ULIDs sort by time and stay monotonic within a page). */
export const byTime = (events) => [...events].sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** Events of one capture, ids deduplicated (a retry may repeat a batch: receivers drop repeats by id). */
export const unique = (events) => {
  const seen = new Set();
  return events.filter((e) => !seen.has(e.id) && seen.add(e.id));
};
