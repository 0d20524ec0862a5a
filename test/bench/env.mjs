// A shop and one capture server per tracker, on 127.0.0.1. Each scenario kind (performance runs,
// page left, failing endpoint, crash) gets an environment of its own, so the delivery scenarios can
// run side by side without one's failing endpoint touching another's events.
import { createCapture, createSite } from './server.mjs';
import { benchPage } from './harness.mjs';

/** `rules`: the URL rules a page gets when its URL asks for them (`?rules=50`). */
export const createEnv = async ({ trackers, rules }) => {
  // One capture server per tracker: each can fail on its own while others run.
  const caps = {};
  for (const t of trackers) caps[t.name] = await createCapture();
  const byName = Object.fromEntries(trackers.map((t) => [t.name, t]));
  const routes = {};
  const site = await createSite({
    files: Object.assign({}, ...trackers.map((t) => t.files)),
    routes,
    page: (name, url) => {
      const t = byName[name];
      if (!t) return '<!doctype html><title>unknown</title>';
      return benchPage(
        t,
        t.paste({ site: site.origin, collector: caps[name].origin, rules: url.searchParams.get('rules') ? rules : null }),
      );
    },
  });
  for (const t of trackers) Object.assign(routes, t.routes?.({ site: site.origin, collector: caps[t.name].origin }) || {});
  return {
    site,
    caps,
    close: async () => {
      await site.close();
      for (const c of Object.values(caps)) await c.close();
    },
  };
};
