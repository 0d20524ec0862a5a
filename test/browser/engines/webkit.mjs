// WebKit: the MiniBrowser of Debian's libwebkit2gtk-4.1 under Xvfb, driven by selenium-webdriver
// over classic WebDriver (WebKitWebDriver), behind the engine driver interface of ./index.mjs.
// WebKitGTK shares WebCore, JavaScriptCore and IndexedDB with Safari; its network stack (libsoup)
// and Safari's storage policies (ITP, 7-day script-writable storage cap) are not covered here.
import { existsSync } from 'node:fs';
import { Builder, Capabilities } from 'selenium-webdriver';
import { freePort, startProcess, startXvfb, stopProcess, whenListening } from './services.mjs';

export const DRIVER = '/usr/bin/WebKitWebDriver';
export const MINIBROWSER =
  ['/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser', '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser'].find(
    existsSync,
  ) || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

let services; // { xvfb, driver, url } while a test file uses WebKit

const startServices = async () => {
  if (services) return services;
  const { display, child: xvfb } = await startXvfb();
  const port = await freePort();
  const driver = startProcess(DRIVER, [`--port=${port}`, '--host=127.0.0.1'], { env: { ...process.env, DISPLAY: display } });
  const url = `http://127.0.0.1:${port}`;
  try {
    await whenListening(`${url}/status`, driver);
  } catch (e) {
    await stopProcess(driver);
    await stopProcess(xvfb);
    throw e;
  }
  services = { xvfb, driver, url };
  return services;
};

const newSession = async () => {
  const { url } = await startServices();
  const caps = new Capabilities();
  caps.set('browserName', 'MiniBrowser');
  caps.set('webkitgtk:browserOptions', { binary: MINIBROWSER, args: ['--automation'] });
  const d = await new Builder().usingServer(url).withCapabilities(caps).build();
  await d.manage().setTimeouts({ pageLoad: 60_000, script: 60_000 });
  return d;
};

/**
 * The driver's "browser" over one WebDriver session. WebDriver has one current window, so every
 * command runs in a queue that first switches to its page's window. The first window stays open
 * as home: closing a session's last window would end the session.
 */
const wrap = async (d) => {
  const home = await d.getWindowHandle();
  let current = home;
  let queue = Promise.resolve();
  const serial = (fn) => {
    const run = queue.then(fn);
    queue = run.catch(() => {});
    return run;
  };
  const on = (handle, fn) =>
    serial(async () => {
      if (current !== handle) {
        await d.switchTo().window(handle);
        current = handle;
      }
      return fn();
    });
  const pages = new Set();
  const closeWindow = async (handle) => {
    if (!pages.delete(handle)) return;
    await on(handle, () => d.close()).catch(() => {});
    await serial(async () => {
      await d.switchTo().window(home);
      current = home;
    }).catch(() => {});
  };
  return {
    async newPage({ init } = {}) {
      if (init) throw new Error('webkit: classic WebDriver has no init scripts');
      const handle = await on(current, async () => {
        // A window, not a tab: MiniBrowser opens a tab in the background (visibilityState 'hidden').
        await d.switchTo().newWindow('window');
        current = await d.getWindowHandle();
        return current;
      });
      pages.add(handle);
      return {
        raw: d,
        goto: (url) => on(handle, () => d.get(url)),
        eval: (fn, arg) => on(handle, () => (arg === undefined ? d.executeScript(fn) : d.executeScript(fn, arg))),
        url: () => on(handle, () => d.getCurrentUrl()),
        close: () => closeWindow(handle),
      };
    },
    setOffline() {
      throw new Error('webkit: no offline emulation over classic WebDriver');
    },
    async closePages() {
      for (const h of [...pages]) await closeWindow(h);
    },
    close: () => d.quit().catch(() => {}),
  };
};

export default {
  name: 'webkit',
  executable: MINIBROWSER,
  can: {
    offline: 'WebKitWebDriver has no offline emulation: the endpoint goes unreachable instead',
    persist: 'MiniBrowser under WebKitWebDriver starts every session on a fresh ephemeral profile',
    kill: 'a killed WebKit session cannot be reopened on the same profile (fresh profile per session)',
    init: 'classic WebDriver has no init scripts to take IndexedDB away before the page runs',
  },
  launch: async () => wrap(await newSession()),
  /** Xvfb and WebKitWebDriver, started once per test file: `{ xvfb, driver, url }` (ChildProcesses). */
  start: startServices,
  profile() {
    throw new Error(`webkit: ${this.can.persist}`);
  },
  /** Stop Xvfb and WebKitWebDriver (by the pids we started); sessions must be closed first. */
  async stop() {
    const s = services;
    services = undefined;
    if (!s) return;
    await stopProcess(s.driver);
    await stopProcess(s.xvfb);
  },
};
