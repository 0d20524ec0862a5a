// A throwaway ClickHouse server for tests and the benchmark: Debian's clickhouse-server
// (installed when absent and we are root), its config, data and logs under a temporary folder,
// listening on 127.0.0.1 only, never the system service. Stopped by pid.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
 * @property {string} url       http://127.0.0.1:port
 * @property {string} dir
 * @property {number} pid
 * @property {(signal?: NodeJS.Signals) => Promise<void>} stop  SIGTERM (default) by pid, waits for exit; keeps the data
 * @property {() => Promise<void>} start    again, on the same port and data
 * @property {() => Promise<void>} destroy  stop and remove the folder
 */

/**
 * Start a private server. Resolves with `{ error }` when it cannot (not installed and not root,
 * install failed, does not answer /ping).
 * @param {{ install?: boolean }} [opts]
 * @returns {Promise<ClickHouseServer | { error: string }>}
 */
export const startClickHouse = async ({ install: mayInstall = true } = {}) => {
  let bin = findBinary();
  if (!bin && mayInstall) {
    const why = install();
    if (why) return { error: why };
    bin = findBinary();
  }
  if (!bin) return { error: 'clickhouse-server not found' };
  // On Linux, memory-backed /dev/shm: every insert writes a part of ~50 small files, and on a busy
  // disk that, not ClickHouse, is what a test would wait for.
  const root = existsSync('/dev/shm') && process.platform === 'linux' ? '/dev/shm' : tmpdir();
  const dir = mkdtempSync(join(root, 'journey-clickhouse-'));
  for (const d of ['log', 'data', 'tmp', 'user_files', 'format_schemas']) mkdirSync(join(dir, d));
  const http = await freePort();
  const tcp = await freePort();
  writeFileSync(join(dir, 'config.xml'), config(dir, http, tcp));
  writeFileSync(join(dir, 'users.xml'), USERS);
  const url = `http://127.0.0.1:${http}`;
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let child;
  const start = async () => {
    const args = bin.endsWith('/clickhouse')
      ? ['server', `--config-file=${dir}/config.xml`]
      : [`--config-file=${dir}/config.xml`];
    child = spawn(bin, args, { cwd: dir, stdio: 'ignore', detached: false });
    // Should this process die first, take the server with it.
    const orphan = () => child?.kill('SIGKILL');
    process.once('exit', orphan);
    child.once('exit', () => process.off('exit', orphan));
    const exited = new Promise((r) => child?.once('exit', () => r(false)));
    const up = await Promise.race([waitForPing(url, 30_000), exited]);
    if (!up) {
      child.kill('SIGKILL');
      const log = existsSync(`${dir}/log/error.log`) ? readFileSync(`${dir}/log/error.log`, 'utf8').slice(-600) : '';
      throw new Error(`clickhouse-server did not answer ${url}/ping${log ? `: ${log}` : ''}`);
    }
  };
  /** @param {NodeJS.Signals} [signal] SIGTERM (a clean stop) or SIGKILL (a crash) */
  const stop = async (signal = 'SIGTERM') => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill(signal);
    const t = setTimeout(() => c.kill('SIGKILL'), 15_000);
    await gone;
    clearTimeout(t);
  };
  try {
    await start();
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    return { error: /** @type {Error} */ (e).message };
  }
  return {
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
