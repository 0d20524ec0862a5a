// Helper processes a driver needs (Xvfb, WebKitWebDriver): started on free ports/displays, each
// remembered by pid and stopped by that pid only, also when the test process exits abruptly.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

const started = new Map(); // pid → ChildProcess
const killAll = () => {
  for (const pid of started.keys()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
};
process.once('exit', killAll);

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A TCP port nobody listens on right now (the kernel picks it). */
export const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** Spawn `cmd`; the caller stops it with `stopProcess(child)`. Output goes to the test log on failure only. */
export const startProcess = (cmd, args, options = {}) => {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let log = '';
  const keep = (d) => {
    log = (log + d).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.log = () => log;
  child.once('error', (e) => keep(`\n${cmd}: ${e.message}`));
  if (child.pid) started.set(child.pid, child);
  child.once('exit', () => started.delete(child.pid));
  return child;
};

/** SIGTERM the process we started, SIGKILL it if it lingers. */
export const stopProcess = async (child) => {
  if (!child?.pid || child.exitCode !== null || child.signalCode) return;
  const gone = new Promise((r) => child.once('exit', r));
  try {
    process.kill(child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const t = setTimeout(() => {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {}
  }, 3_000);
  await gone;
  clearTimeout(t);
};

/** Xvfb on the first free display: `-displayfd` makes the server pick it and tell us. */
export const startXvfb = async () => {
  const child = startProcess('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  const display = await new Promise((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error(`Xvfb gave no display within 15 s\n${child.log()}`)), 15_000);
    child.stdio[3].on('data', (d) => {
      out += d;
      if (out.includes('\n')) {
        clearTimeout(t);
        resolve(`:${out.trim()}`);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`Xvfb exited (${code})\n${child.log()}`));
    });
  });
  return { display, child };
};

/** Resolve once something accepts HTTP at `url` (any status), or throw after `timeout` ms. */
export const whenListening = async (url, child, timeout = 15_000) => {
  const end = Date.now() + timeout;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${child.spawnfile} exited (${child.exitCode})\n${child.log()}`);
    try {
      await fetch(url);
      return;
    } catch {}
    if (Date.now() > end) throw new Error(`nothing listens at ${url} after ${timeout} ms\n${child.log()}`);
    await sleep(100);
  }
};
