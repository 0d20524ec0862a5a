// A throwaway ClickHouse server for tests and the benchmark, of either version we test: Debian's
// clickhouse-server 18.16 (installed when absent and we are root), or the current engine that chdb's npm
// package ships as libchdb.so, served over HTTP by chdb-server.py. Config, data and logs under a
// temporary folder, listening on 127.0.0.1 only, never the system service. Stopped by pid.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `debian`: Debian's clickhouse-server (18.16 on bookworm, the oldest SQL we allow); `chdb`: the current
 * engine of chdb's npm package (26.7).
 * @typedef {'debian' | 'chdb'} Engine
 */
/** @type {readonly Engine[]} */
export const ENGINES = ['debian', 'chdb'];

const BINARIES = ['/usr/bin/clickhouse-server', '/usr/sbin/clickhouse-server', '/usr/bin/clickhouse'];

/** @returns {string | undefined} */
const findBinary = () => BINARIES.find((b) => existsSync(b));

/** Debian's package, when it is missing and we may install it. @returns {string | undefined} why not */
const install = () => {
  if (process.getuid?.() !== 0)
    return 'clickhouse-server is not installed and we are not root (apt-get install clickhouse-server)';
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    // Another job may hold the dpkg lock (browsers being installed): wait for it rather than fail.
    const apt = (/** @type {string[]} */ args) =>
      execFileSync('apt-get', ['-o', 'DPkg::Lock::Timeout=300', ...args], { env, stdio: 'ignore', timeout: 600_000 });
    try {
      apt(['install', '-y', '--no-install-recommends', 'clickhouse-server']);
    } catch {
      apt(['update']);
      apt(['install', '-y', '--no-install-recommends', 'clickhouse-server']);
    }
  } catch (e) {
    return `apt-get install clickhouse-server failed: ${/** @type {Error} */ (e).message.split('\n')[0]}`;
  }
};

// The engine's platform package of chdb (a devDependency, linux-x64 with glibc: the machines we test on).
const CHDB = '@chdb/lib-linux-x64-gnu';

/** Its libchdb.so. @returns {{ lib: string } | { error: string }} */
const findChdb = () => {
  try {
    const lib = join(dirname(createRequire(import.meta.url).resolve(`${CHDB}/package.json`)), 'libchdb.so');
    return existsSync(lib) ? { lib } : { error: `${lib} is missing` };
  } catch {
    return { error: `the npm package ${CHDB} is not installed (npm ci installs it on linux-x64)` };
  }
};

/** A port the kernel says is free now. @returns {Promise<number>} */
const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (s.address());
      s.close(() => resolve(port));
    });
  });

/** @param {string} dir @param {number} http @param {number} tcp */
const config = (dir, http, tcp) => `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/log/server.log</log><errorlog>${dir}/log/error.log</errorlog><console>0</console></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${http}</http_port>
  <tcp_port>${tcp}</tcp_port>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>268435456</mark_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
  <shutdown_wait_unfinished>1</shutdown_wait_unfinished>
</yandex>
`;

const USERS = `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;

/**
 * How to run each engine in `dir` on `http`: the command, and the log that says why it stopped.
 * @type {Record<Engine, (dir: string, http: number, install: boolean) => Promise<{ cmd: string, args: string[], log: string } | { error: string }>>}
 */
const COMMANDS = {
  debian: async (dir, http, mayInstall) => {
    let bin = findBinary();
    if (!bin && mayInstall) {
      const why = install();
      if (why) return { error: why };
      bin = findBinary();
    }
    if (!bin) return { error: 'clickhouse-server not found' };
    for (const d of ['log', 'data', 'tmp', 'user_files', 'format_schemas']) mkdirSync(join(dir, d));
    writeFileSync(join(dir, 'config.xml'), config(dir, http, await freePort()));
    writeFileSync(join(dir, 'users.xml'), USERS);
    const file = `--config-file=${dir}/config.xml`;
    return { cmd: bin, args: bin.endsWith('/clickhouse') ? ['server', file] : [file], log: `${dir}/log/error.log` };
  },
  chdb: async (dir, http) => {
    const found = findChdb();
    if ('error' in found) return found;
    mkdirSync(join(dir, 'log'));
    const script = fileURLToPath(new URL('chdb-server.py', import.meta.url));
    return { cmd: 'python3', args: [script, found.lib, join(dir, 'data'), String(http)], log: `${dir}/log/error.log` };
  },
};

/** @param {string} url @param {number} ms */
const waitForPing = async (url, ms) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await fetch(`${url}/ping`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
};

/**
 * @typedef {object} ClickHouseServer
 * @property {Engine} engine
 * @property {string} version   as the server says (SELECT version())
 * @property {string} url       http://127.0.0.1:port
 * @property {string} dir
 * @property {number} pid
 * @property {(signal?: NodeJS.Signals) => Promise<void>} stop  SIGTERM (default) by pid, waits for exit; keeps the data
 * @property {() => Promise<void>} start    again, on the same port and data
 * @property {() => Promise<void>} destroy  stop and remove the folder
 */

/**
 * Start a private server of `engine`. Resolves with `{ error }` when it cannot (not installed and not
 * root, install failed, package missing, does not answer /ping).
 * @param {{ engine?: Engine, install?: boolean }} [opts]
 * @returns {Promise<ClickHouseServer | { error: string }>}
 */
export const startClickHouse = async ({ engine = 'debian', install: mayInstall = true } = {}) => {
  // On Linux, memory-backed /dev/shm: every insert writes a part of ~50 small files, and on a busy
  // disk that, not ClickHouse, is what a test would wait for.
  const root = existsSync('/dev/shm') && process.platform === 'linux' ? '/dev/shm' : tmpdir();
  const dir = mkdtempSync(join(root, `journey-clickhouse-${engine}-`));
  const http = await freePort();
  const command = await COMMANDS[engine](dir, http, mayInstall);
  if ('error' in command) {
    rmSync(dir, { recursive: true, force: true });
    return { error: command.error };
  }
  const url = `http://127.0.0.1:${http}`;
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let child;
  const start = async () => {
    // chdb's engine writes its errors to stderr; Debian's server to its own log.
    const err = openSync(command.log, 'a');
    child = spawn(command.cmd, command.args, { cwd: dir, stdio: ['ignore', 'ignore', err], detached: false });
    closeSync(err);
    // Should this process die first, take the server with it.
    const orphan = () => child?.kill('SIGKILL');
    process.once('exit', orphan);
    child.once('exit', () => process.off('exit', orphan));
    const exited = new Promise((r) => child?.once('exit', () => r(false)));
    const up = await Promise.race([waitForPing(url, 30_000), exited]);
    if (!up) {
      child.kill('SIGKILL');
      const log = existsSync(command.log) ? readFileSync(command.log, 'utf8').trim().slice(-600) : '';
      throw new Error(`ClickHouse (${engine}) did not answer ${url}/ping${log ? `: ${log}` : ''}`);
    }
  };
  /** @param {NodeJS.Signals} [signal] SIGTERM (a clean stop) or SIGKILL (a crash) */
  const stop = async (signal = 'SIGTERM') => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill(signal);
    const t = setTimeout(() => c.kill('SIGKILL'), 15_000);
    await gone;
    clearTimeout(t);
  };
  let version = '';
  try {
    await start();
    version = (await (await fetch(`${url}/`, { method: 'POST', body: 'SELECT version()' })).text()).trim();
  } catch (e) {
    await stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    return { error: /** @type {Error} */ (e).message };
  }
  return {
    engine,
    version,
    url,
    dir,
    get pid() {
      return child?.pid ?? 0;
    },
    start,
    stop,
    destroy: async () => {
      // The data goes with the folder: no need to wait for a clean shutdown.
      await stop('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
