import type { Plugin, PluginContext } from '../types';
import type { Core } from '../pipeline/job';
import type { Recorder } from '../pipeline/record';
import { guard } from '../lib/safe';
import { listen } from '../lib/listen';
import { BAD_PLUGIN } from '../lib/codes';

/** `use(plugin)`: adds a plugin and runs its setup with the `ctx` that is its only way to the tracker. */
export const createUse =
  (c: Core, rec: Recorder, teardowns: (() => void)[]) =>
  (plugin: Plugin): void => {
    const log = c._log;
    // A plugin added now does not see (or change) events tracked before it.
    rec.drain();
    const name = plugin?.name;
    if (typeof name != 'string' || c._plugins.some((p) => p.name == name)) return log(BAD_PLUGIN, name);
    c._plugins = c._plugins.concat(plugin);
    const key = 'plugin:' + name;
    const ctx: PluginContext = {
      // Through track(), for its checks and its chain limit (a plugin tracking in answer to every event once made
      // 1,615 events of one page view), then processed at once; while a call is processed, right after it.
      track: (type, props) => (rec.record(type, props), rec.drain()),
      get stage() {
        rec.drain();
        return c._stage;
      },
      get session() {
        rec.drain();
        return c._sid;
      },
      on: (n, fn) => {
        const unsubscribe = c._emitter.on(n, fn);
        teardowns.push(unsubscribe);
        return unsubscribe;
      },
      listen: (target, type, fn) => teardowns.push(listen(target, type, guard(fn, log, name))) as unknown as void,
      state: <T>() => ({
        get: () => c._prefs.get<T>(key),
        set: (v: T | undefined) => c._prefs.set(key, v),
      }),
      log: (...args) => log(name + ':', ...args),
    };
    try {
      const teardown = plugin.setup?.(ctx);
      if (typeof teardown == 'function') teardowns.push(teardown);
    } catch (e) {
      c._off(plugin, e);
    }
  };
