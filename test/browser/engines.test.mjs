// The engine driver layer's own plumbing (no browser session): counting by scenario keys, and the
// helper processes WebKit needs being started on free ports/displays and stopped by their pid.
import { describe, expect, it } from 'vitest';
import { ENGINES, cannot } from './engines/index.mjs';
import { keyOf, leaves, tally, tracked, views } from './engines/tally.mjs';
import { startProcess, stopProcess, startXvfb } from './engines/services.mjs';
import webkit from './engines/webkit.mjs';

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const ev = (id, type, props, url = 'http://127.0.0.1:1/shop/a') => ({ id, type, props, url });

describe('engine driver layer', () => {
  it('keys events by type and props.i, page events by path, and leaves the rest unnamed', () => {
    expect(keyOf(ev('A', 'burst', { i: 3 }))).toBe('burst#3');
    expect(keyOf(ev('A', 'page_view', {}, 'http://127.0.0.1:9/shop/x?q=1'))).toBe('page_view /shop/x?q=1');
    expect(keyOf(ev('A', 'stage_change', { from: 'a', to: 'b' }))).toBeUndefined();
    expect(tracked('t', 2)).toEqual(['t#0', 't#1']);
    expect([...views('/a'), ...leaves('/a')]).toEqual(['page_view /a', 'page_leave /a']);
  });

  it('tallies delivered, duplicate copies, missing keys and keys stored under two ids', () => {
    const cap = {
      events: () => [
        ev('A', 't', { i: 0 }),
        ev('A', 't', { i: 0 }),
        ev('B', 't', { i: 1 }),
        ev('C', 't', { i: 1 }),
        ev('D', 'other', { i: 0 }),
      ],
    };
    expect(tally(cap, tracked('t', 3))).toEqual({
      created: 3,
      delivered: 2,
      duplicates: 1,
      missing: ['t#2'],
      recreated: ['t#1'],
    });
  });

  it('names what an engine cannot do, and nothing for what it can', () => {
    for (const e of ENGINES)
      for (const what of ['offline', 'persist', 'kill', 'init']) expect(typeof cannot(e, what)).toBe('string');
    expect(cannot(webkit, 'offline')).toMatch(/^webkit: /);
    expect(cannot({ name: 'x', can: { offline: true } }, 'offline')).toBe('');
  });

  it('stops a process it started by its pid', async () => {
    const child = startProcess(process.execPath, ['-e', 'setInterval(() => {}, 1e3)']);
    expect(alive(child.pid)).toBe(true);
    await stopProcess(child);
    expect(alive(child.pid)).toBe(false);
  });

  it.skipIf(!ENGINES.includes(webkit))(
    'starts Xvfb on a free display and WebKitWebDriver on a free port, and stops both by pid',
    async () => {
      const { xvfb, driver, url } = await webkit.start();
      try {
        expect(alive(xvfb.pid) && alive(driver.pid)).toBe(true);
        const status = await (await fetch(`${url}/status`)).json();
        expect(status.value.ready).toBe(true);
      } finally {
        await webkit.stop();
      }
      expect(alive(xvfb.pid)).toBe(false);
      expect(alive(driver.pid)).toBe(false);
      // A second Xvfb picks its own display while the first runs: no fixed display number.
      const a = await startXvfb();
      const b = await startXvfb();
      expect(a.display).not.toBe(b.display);
      await stopProcess(a.child);
      await stopProcess(b.child);
    },
  );
});
