// Run by `npm run test:browser` before vitest: make sure Debian's chromium is there.
// A fresh CI machine lacks it; as root we install it, otherwise we say how to.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const CHROMIUM = '/usr/bin/chromium';

const run = (cmd, args) => {
  console.log(`[setup] ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`[setup] ${cmd} ${args[0]} failed (exit ${r.status ?? r.signal}).`);
    process.exit(1);
  }
};

if (existsSync(CHROMIUM)) {
  console.log(`[setup] ${CHROMIUM} present.`);
} else if (process.getuid?.() === 0) {
  console.log(`[setup] ${CHROMIUM} missing: installing Debian's chromium.`);
  run('apt-get', ['update']);
  run('apt-get', ['install', '-y', 'chromium']);
  if (!existsSync(CHROMIUM)) {
    console.error(`[setup] chromium installed but ${CHROMIUM} is still missing.`);
    process.exit(1);
  }
} else {
  console.error(
    `[setup] ${CHROMIUM} is missing. The browser tests need Debian's chromium:\n` +
      '  sudo apt-get update && sudo apt-get install -y chromium\n' +
      'then run `npm run test:browser` again.',
  );
  process.exit(1);
}
