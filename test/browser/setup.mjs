// Run by `npm run test:browser` before vitest: make sure the three engines are there (Debian's
// chromium, firefox-esr, and WebKitGTK's WebKitWebDriver + MiniBrowser under Xvfb). A fresh CI
// machine lacks them; as root we install the missing ones (one update, one install), otherwise we
// say how to. JOURNEY_ENGINES=chromium,firefox limits the check (and the suite) to some engines.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const NEEDS = {
  chromium: { chromium: ['/usr/bin/chromium'] },
  firefox: { 'firefox-esr': ['/usr/bin/firefox-esr'] },
  // libwebkit2gtk-4.1-0 (a dependency of the driver) holds the MiniBrowser.
  webkit: {
    'webkit2gtk-driver': ['/usr/bin/WebKitWebDriver'],
    'libwebkit2gtk-4.1-0': [
      '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
      '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
    ],
    xvfb: ['/usr/bin/Xvfb'],
  },
};

const picked = (process.env.JOURNEY_ENGINES || '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const engines = Object.keys(NEEDS).filter((e) => !picked.length || picked.includes(e));
const packages = Object.assign({}, ...engines.map((e) => NEEDS[e]));
const missing = () => Object.keys(packages).filter((p) => !packages[p].some(existsSync));

const run = (cmd, args) => {
  console.log(`[setup] ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) {
    console.error(`[setup] ${cmd} ${args[0]} failed (exit ${r.status ?? r.signal}).`);
    process.exit(1);
  }
};

const absent = missing();
if (!absent.length) {
  console.log(`[setup] engines present: ${engines.join(', ')}.`);
} else if (process.getuid?.() === 0) {
  console.log(`[setup] missing: ${absent.join(' ')}: installing from Debian.`);
  run('apt-get', ['update']);
  run('apt-get', ['install', '-y', ...absent]);
  const still = missing();
  if (still.length) {
    console.error(`[setup] installed, but still no ${still.map((p) => packages[p][0]).join(', ')}.`);
    process.exit(1);
  }
} else {
  console.error(
    `[setup] missing Debian packages for the browser tests (${engines.join(', ')}): ${absent.join(' ')}\n` +
      `  sudo apt-get update && sudo apt-get install -y ${absent.join(' ')}\n` +
      'then run `npm run test:browser` again (JOURNEY_ENGINES=chromium runs one engine only).',
  );
  process.exit(1);
}
