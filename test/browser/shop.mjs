// Page-side helpers: open a fixture shop page, wait for the bundle, fire events, and learn the
// ids the page created (what the collector must end up with).

const until = async (ok, timeout, what) => {
  const end = Date.now() + timeout;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/**
 * Every event any page of `context` creates, as `{ id, type, url }`. The fixture's record.js
 * reports them through a binding: unlike reading `window.__ids`, this survives the page
 * navigating away in the same task.
 */
export const recordCreated = async (context) => {
  const list = [];
  await context.exposeBinding('__journeyRecord', (_source, e) => {
    list.push(e);
  });
  const of = (type) => list.filter((e) => !type || e.type === type);
  return {
    list,
    ids: (type) => of(type).map((e) => e.id),
    /** Wait until at least `n` events of `type` were reported (binding calls arrive async). */
    wait: (type, n, timeout = 10_000) => until(() => of(type).length >= n, timeout, `${n} recorded '${type}' events`),
  };
};

/** Wait until the bundle has replaced the stub and record.js listens to its events. */
export const whenReady = (page, timeout = 10_000) =>
  page.waitForFunction(() => window.__ready === true, null, { timeout, polling: 20 });

export const openShop = async (context, url) => {
  const page = await context.newPage();
  await page.goto(url);
  await whenReady(page);
  return page;
};

/** `journey.track(type, { i })` n times in one task. */
export const trackBurst = (page, type, n) =>
  page.evaluate(
    ([type, n]) => {
      for (let i = 0; i < n; i++) window.journey.track(type, { i });
    },
    [type, n],
  );

/**
 * Fire n events and start navigating to `url` in the same task, as a visitor clicking away right
 * after a burst: nothing gets a chance to be sent first while the page lives.
 */
export const trackThenLeave = async (page, type, n, url) => {
  await page
    .evaluate(
      ([type, n, url]) => {
        for (let i = 0; i < n; i++) window.journey.track(type, { i });
        location.href = url;
      },
      [type, n, url],
    )
    // The navigation may tear the evaluation's context down before it answers.
    .catch(() => {});
  await page.waitForURL(url);
  await whenReady(page);
};
