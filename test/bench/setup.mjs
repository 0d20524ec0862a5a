// What a run needs before it measures: journey-tracker built, the pinned peers installed, the
// script-tag bundles some peers lack, and the byte counts of the files pages fetched. Each step
// is skipped when its output is already current, so a second run starts measuring at once.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { PACKAGES } from './peers.mjs';

const log = (...a) => console.log('[bench]', ...a);
const sh = (cmd, args, cwd) => spawnSync(cmd, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' }).status === 0;

/** Newest modification time (ms) of a file, or of any file under a folder. */
const newest = (path) => {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((f) => newest(join(path, f))));
};

/**
 * Build journey-tracker unless dist/ is newer than everything the build reads (`npm run build &&
 * npm run bench` then builds once; src/ may change under us, and any change rebuilds).
 */
export const build = (root) => {
  const out = join(root, 'dist', 'journey.min.js');
  const inputs = ['src', 'rollup.config.mjs', 'tsconfig.json', 'package.json'].map((p) => newest(join(root, p)));
  const fresh = existsSync(out) && statSync(out).mtimeMs > Math.max(...inputs);
  if (process.env.BENCH_NO_BUILD || fresh)
    log(fresh ? 'dist/ is newer than src/: not rebuilding' : 'BENCH_NO_BUILD: using dist/ as it is');
  else {
    log('npm run build');
    if (!sh('npm', ['run', 'build'], root)) log('build failed: using dist/ as it is');
  }
  if (!existsSync(out)) throw new Error('dist/journey.min.js is missing: run `npm run build`.');
};

/** Install the pinned peers into `peers` (its own package.json, git-ignored) unless they are there. */
export const installPeers = (peers) => {
  mkdirSync(peers, { recursive: true });
  const pkg = {
    name: 'journey-bench-peers',
    private: true,
    description: 'Written by test/bench/run.mjs',
    dependencies: PACKAGES,
  };
  const file = join(peers, 'package.json');
  const text = JSON.stringify(pkg, null, 2) + '\n';
  const same = existsSync(file) && readFileSync(file, 'utf8') === text;
  const present = Object.entries(PACKAGES).every(([name, v]) => {
    try {
      return JSON.parse(readFileSync(join(peers, 'node_modules', name, 'package.json'), 'utf8')).version === v;
    } catch {
      return false;
    }
  });
  if (same && present) return;
  if (process.env.BENCH_NO_INSTALL) throw new Error('peers are not installed and BENCH_NO_INSTALL is set');
  writeFileSync(file, text);
  log('installing peers into test/bench/peers');
  if (!sh('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], peers))
    throw new Error('npm install of the peers failed');
};

/** Builds the peers need for a script tag, and the rule matcher for the stage benchmark. */
export const prepare = async ({ root, peers, dir }) => {
  const esbuild = await import('esbuild');
  mkdirSync(dir, { recursive: true });
  const nm = (p) => join(peers, 'node_modules', p);
  await esbuild.build({
    entryPoints: [nm('@rudderstack/analytics-js/dist/npm/modern/bundled/umd/index.js')],
    outfile: join(dir, 'rudderstack.min.js'),
    minify: true,
    logLevel: 'error',
  });
  await esbuild.build({
    entryPoints: [nm('@plausible-analytics/tracker/plausible.js')],
    outfile: join(dir, 'plausible.min.js'),
    bundle: true,
    format: 'iife',
    globalName: 'PlausibleTracker',
    minify: true,
    logLevel: 'error',
  });
  let matcherJs = null;
  try {
    const r = await esbuild.build({
      entryPoints: [join(root, 'src', 'stages', 'rules.ts')],
      bundle: true,
      format: 'iife',
      globalName: '__rules',
      minify: true,
      write: false,
      logLevel: 'silent',
    });
    matcherJs = r.outputFiles[0].text;
  } catch (e) {
    log('rule matcher not bundled (src/stages/rules.ts changed?):', e.message.split('\n')[0]);
  }
  const segmentChunks = readdirSync(nm('@segment/analytics-next/dist/umd')).filter((f) => /\.bundle\.\w+\.js$/.test(f));
  return { dir, segmentChunks, matcherJs };
};

/**
 * raw / gzip -9 / brotli -11 bytes of the files a tracker's page fetched. brotli -11 takes seconds
 * on the larger peers: sizes are kept in `cacheFile` by file content, so only changed files are
 * compressed again.
 */
export const createByteCounter = (cacheFile) => {
  let cache = {};
  // Only the sizes this run used are saved: old builds of journey-tracker drop out.
  const used = {};
  try {
    cache = JSON.parse(readFileSync(cacheFile, 'utf8'));
  } catch {}
  const sizes = (f) => {
    const buf = readFileSync(f);
    const key = createHash('sha256').update(buf).digest('hex');
    return (used[key] = cache[key] ||=
      {
        raw: buf.length,
        gzip: gzipSync(buf, { level: 9 }).length,
        brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
      });
  };
  return {
    measure: (tracker, paths) => {
      const files = (paths.length ? paths : Object.keys(tracker.files)).map((p) => tracker.files[p]).filter(Boolean);
      const sum = { raw: 0, gzip: 0, brotli: 0, files: paths };
      for (const f of files) for (const k of ['raw', 'gzip', 'brotli']) sum[k] += sizes(f)[k];
      return sum;
    },
    save: () => writeFileSync(cacheFile, JSON.stringify(used)),
  };
};
