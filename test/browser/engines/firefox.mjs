// Firefox (Debian `firefox-esr`) headless over WebDriver BiDi through puppeteer-core, behind the
// engine driver interface of ./index.mjs. Offline works (BiDi network conditions); throttling does
// not exist over BiDi, so no scenario relies on it.
import puppeteer from 'puppeteer-core';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const EXECUTABLE = ['/usr/bin/firefox-esr', '/usr/bin/firefox'].find(existsSync) || '/usr/bin/firefox-esr';

const launch = (userDataDir) =>
  puppeteer.launch({ browser: 'firefox', executablePath: EXECUTABLE, headless: true, userDataDir, protocolTimeout: 120_000 });

const wrapPage = (page) => ({
  raw: page,
  goto: (url) => page.goto(url).then(() => {}),
  eval: (fn, arg) => page.evaluate(fn, arg),
  url: async () => page.url(),
  close: () => page.close().catch(() => {}),
});

/** The driver's "browser" over a puppeteer browser context; offline applies to all its pages. */
const wrap = (context, closeAll) => {
  let offline = false;
  const pages = new Set();
  return {
    async newPage({ init } = {}) {
      const page = await context.newPage();
      if (init) await page.evaluateOnNewDocument(init);
      if (offline) await page.setOfflineMode(true);
      pages.add(page);
      return wrapPage(page);
    },
    async setOffline(on) {
      offline = on;
      for (const p of pages) if (!p.isClosed()) await p.setOfflineMode(on);
    },
    async closePages() {
      offline = false;
      for (const p of pages) await p.close().catch(() => {});
      pages.clear();
    },
    close: closeAll,
  };
};

export default {
  name: 'firefox',
  executable: EXECUTABLE,
  can: { offline: true, persist: true, kill: true, init: true },
  async launch() {
    const browser = await launch();
    // A user context per browser wrapper: storage of its own, like a fresh profile.
    return wrap(await browser.createBrowserContext(), () => browser.close());
  },
  profile() {
    const dir = mkdtempSync(join(tmpdir(), 'journey-firefox-'));
    let browser;
    const p = {
      dir,
      async open() {
        browser = await launch(dir);
        return wrap(browser.defaultBrowserContext(), () => p.close());
      },
      /** Kill firefox's main process at once, as a crash would; its content processes follow. */
      async kill() {
        const b = browser;
        browser = undefined;
        const gone = new Promise((r) => b.once('disconnected', r));
        process.kill(b.process().pid, 'SIGKILL');
        await gone;
      },
      async close() {
        const b = browser;
        browser = undefined;
        await b?.close().catch(() => {});
      },
      async remove() {
        await p.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
    return p;
  },
};
