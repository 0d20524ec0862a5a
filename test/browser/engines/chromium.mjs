// Chromium (Debian `chromium`) through playwright-core, behind the engine driver interface of
// ./index.mjs. Everything is supported: offline emulation, persistent profiles, SIGKILL.
import { chromium } from 'playwright-core';
import { ARGS, EXECUTABLE, createProfile as createChromiumProfile } from '../chromium.mjs';

const wrapPage = (page) => ({
  raw: page,
  goto: (url) => page.goto(url).then(() => {}),
  eval: (fn, arg) => page.evaluate(fn, arg),
  url: async () => page.url(),
  close: () => page.close().catch(() => {}),
});

/**
 * The driver's "browser" over a playwright context. `fresh` makes a new context (throwaway
 * browsers: init scripts and offline state are per context and must not leak into the next test).
 */
const wrap = (first, fresh, closeAll) => {
  let context = first;
  return {
    async newPage({ init } = {}) {
      if (init) await context.addInitScript(init);
      return wrapPage(await context.newPage());
    },
    setOffline: (on) => context.setOffline(on),
    async closePages() {
      if (!fresh) return Promise.all(context.pages().map((p) => p.close().catch(() => {})));
      await context.close().catch(() => {});
      context = await fresh();
    },
    close: closeAll,
  };
};

export default {
  name: 'chromium',
  executable: EXECUTABLE,
  can: { offline: true, persist: true, kill: true, init: true },
  async launch() {
    const browser = await chromium.launch({ executablePath: EXECUTABLE, args: ARGS });
    const fresh = () => browser.newContext();
    return wrap(await fresh(), fresh, () => browser.close());
  },
  profile() {
    const p = createChromiumProfile();
    return {
      open: async () => wrap(await p.open(), null, () => p.close()),
      close: () => p.close(),
      kill: () => p.kill(),
      remove: () => p.remove(),
    };
  },
};
