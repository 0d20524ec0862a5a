// Headless Debian chromium through playwright-core: a throwaway browser, or a profile on disk that
// survives a restart or a SIGKILL (for the delivery scenarios that close or crash the browser).
import { chromium } from 'playwright-core';
import { mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const EXECUTABLE = '/usr/bin/chromium';
export const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Headless Chromium says `HeadlessChrome` in its User-Agent, and the collector drops that as a crawler (collector
  // README, "Visitors, bots and filters"): in these tests it stands for a visitor's Chrome.
  '--user-agent=Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
];

/** A browser with a fresh in-memory profile. */
export const launchBrowser = () => chromium.launch({ executablePath: EXECUTABLE, args: ARGS });

/**
 * A browser on a profile directory of its own. `open()` (re)launches it on the same directory,
 * `kill()` SIGKILLs the browser process, `remove()` closes and deletes the directory.
 */
export const createProfile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'journey-profile-'));
  const p = {
    dir,
    context: undefined,
    async open() {
      p.context = await chromium.launchPersistentContext(dir, { executablePath: EXECUTABLE, args: ARGS });
      return p.context;
    },
    /** The browser's pid: chromium writes `<host>-<pid>` into the profile's SingletonLock link. */
    pid: () => Number(readlinkSync(join(dir, 'SingletonLock')).split('-').pop()),
    /** Kill the browser process at once, as a crash or an OOM kill would. */
    async kill() {
      const ctx = p.context;
      const closed = ctx && new Promise((r) => ctx.once('close', r));
      process.kill(p.pid(), 'SIGKILL');
      p.context = undefined;
      await closed;
    },
    async close() {
      const ctx = p.context;
      p.context = undefined;
      await ctx?.close().catch(() => {});
    },
    async remove() {
      await p.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return p;
};
