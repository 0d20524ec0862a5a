// What only the ClickHouse engine has: start-up migration, the two ways of dropping repeats, the version switch.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkBatch } from '../../examples/collector/lib/validate.js';
import { createClickHouseStorage } from '../../examples/collector/lib/storage/clickhouse.js';
import { buildReport } from '../../examples/collector/lib/metrics.js';
import { clickhouses, describeClickHouse, event, tempStorage } from './helpers.mjs';

const NOW = Date.UTC(2026, 0, 20, 12);
const rowsOf = (events) => checkBatch({ v: 1, site: 'ch', events }, NOW).rows;

/** @param {import('./clickhouse-server.mjs').ClickHouseServer} ch */
const engineSuite = (ch) => {
  let db;
  beforeAll(async () => {
    db = await tempStorage({ name: 'clickhouse', url: ch.url });
  });
  afterAll(() => db?.done());

  it('creates the table at start and adds a column it lacks, keeping the rows', async () => {
    await db.storage.insert(rowsOf([event({ time: NOW - 1000 })]));
    const r = await fetch(`${ch.url}/?database=${db.env().JOURNEY_DB.split('/').pop()}`, {
      method: 'POST',
      body: 'ALTER TABLE events DROP COLUMN vital',
    });
    expect(r.status).toBe(200);
    const again = await db.open();
    const cols = await again.query("SELECT name FROM system.columns WHERE database = currentDatabase() AND table = 'events'");
    expect(cols.map((c) => c.name)).toContain('vital');
    await again.insert(rowsOf([event({ time: NOW - 500, type: 'web_vital', props: { name: 'LCP', value: 1 } })]));
    expect(await again.count()).toBe(2);
    const [v] = await again.query("SELECT vital FROM events WHERE type = 'web_vital'");
    expect(v.vital).toBe('LCP');
    await again.close();
  });

  it('collectors starting together on a new database, or on rollups of an older version, all open it', async () => {
    const together = async (url) => {
      const opened = await Promise.allSettled([0, 1, 2, 3].map(() => createClickHouseStorage({ url })));
      const ok = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
      const tables = ok.length ? await ok[0].query('SELECT name FROM system.tables WHERE database = currentDatabase()') : [];
      await Promise.all(ok.map((s) => s.close()));
      expect(opened.map((o) => (o.status === 'rejected' ? String(o.reason) : 'open'))).toEqual(['open', 'open', 'open', 'open']);
      // events, bots (crawlers' daily counts), rollup_schema, rollup_days and the eight rollup tables.
      expect(tables.length).toBe(12);
    };
    for (const sub of ['together_a', 'together_b', 'together_c']) {
      const { JOURNEY_DB } = db.env(sub);
      await together(JOURNEY_DB);
      // Then an older collector's schema on it: the four starting together drop its rollups once, and all open.
      const r = await fetch(`${ch.url}/?database=${JOURNEY_DB.split('/').pop()}`, {
        method: 'POST',
        body: `INSERT INTO rollup_schema VALUES ('CREATE TABLE an_older_shape', ${Date.now()})`,
      });
      expect(r.status).toBe(200);
      await together(JOURNEY_DB);
    }
  });

  it('reports the server version; a hostile visitor id is stored and erased as itself', async () => {
    expect(db.storage.version).toMatch(/^\d+\.\d+/);
    // Hostile text through the report path: stored and found again as itself.
    await db.storage.insert(rowsOf([event({ time: NOW - 100, visitor_id: "o'hara\\" })]));
    expect(await db.storage.erase('ch', "o'hara\\")).toBe(1);
  });

  it('dedupe=query drops a repeat even when its clock correction differed; FINAL needs equal keys', async () => {
    const e = event({ time: NOW - 30_000, visitor_id: 'skew' });
    const first = rowsOf([e]);
    // The same event, retried when the browser clock looked a minute off: another corrected time.
    const retried = checkBatch({ v: 1, site: 'ch', sent_at: NOW - 120_000, events: [e] }, NOW).rows;
    expect(retried[0].time).not.toBe(first[0].time);
    await db.storage.insert(first);
    await db.storage.insert(first);
    await db.storage.insert(retried);
    const url = db.env().JOURNEY_DB;
    const query = await createClickHouseStorage({ url, dedupe: 'query' });
    const final = await createClickHouseStorage({ url, dedupe: 'final' });
    const where = 'SELECT count() AS n FROM {from}';
    const n = async (s) => (await s.query(where.replace('{from}', s.dialect.from("visitor_id = 'skew'"))))[0].n;
    expect(await n(query)).toBe(1);
    expect(await n(final)).toBe(2);
    await Promise.all([query.close(), final.close()]);
  });

  it('the report counts a repeat with another clock correction once, in every metric that counts events', async () => {
    const view = event({ time: NOW - 40_000, visitor_id: 'late', session_id: 'late-1' });
    const leave = event({
      time: NOW - 39_000,
      visitor_id: 'late',
      session_id: 'late-1',
      type: 'page_leave',
      props: { engaged_ms: 700 },
    });
    const once = checkBatch({ v: 1, site: 'skew', events: [view, leave] }, NOW).rows;
    const retried = checkBatch({ v: 1, site: 'skew', sent_at: NOW - 120_000, events: [view, leave] }, NOW).rows;
    await db.storage.insert(once);
    await db.storage.insert(retried);
    const r = await buildReport(db.storage, { site: 'skew', from: NOW - 86_400_000, to: NOW + 86_400_000, now: NOW });
    expect(r.totals).toEqual({ events: 2, page_views: 1, visitors: 1, sessions: 1 });
    expect(r.bounce.bounced).toBe(1);
    expect(r.engaged).toEqual([{ page_type: 'home', pages: 1, median_ms: 700, mean_ms: 700 }]);
  });

  it("NPS keeps a visitor's latest answer when a retry of an earlier one is stored with a later corrected time", async () => {
    const answer = (time, score) =>
      event({ time, visitor_id: 'nps', session_id: 'nps-1', type: 'nps_response', props: { score } });
    const first = answer(NOW - 50_000, 5);
    const second = answer(NOW - 40_000, 9);
    await db.storage.insert(checkBatch({ v: 1, site: 'nps-skew', events: [first, second] }, NOW).rows);
    // The retry's batch says it was sent 2 minutes ago: its copy of the first answer is moved later than the second.
    await db.storage.insert(checkBatch({ v: 1, site: 'nps-skew', sent_at: NOW - 120_000, events: [first] }, NOW).rows);
    const r = await buildReport(db.storage, { site: 'nps-skew', from: NOW - 86_400_000, to: NOW + 86_400_000, now: NOW });
    expect(r.nps).toMatchObject({ responses: 1, promoters: 1, detractors: 0 });
  });

  it('rollups are a cache: late events, a repeat, a session continued on a later day and an erasure read as from the events', async () => {
    const url = db.env().JOURNEY_DB;
    const rollup = await createClickHouseStorage({ url });
    const reference = await createClickHouseStorage({ url, dedupe: 'query' });
    const D1 = Date.UTC(2026, 0, 5, 12);
    const D2 = Date.UTC(2026, 0, 7, 9);
    const range = { site: 'cache', from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 1, 1), now: NOW };
    const at = (time, over = {}) => event({ time, visitor_id: 'cv', session_id: 'cs', ...over });
    const put = (events) => rollup.insert(checkBatch({ v: 1, site: 'cache', events }, NOW).rows);
    // Every finished day rolled up. A report may have started a build in the background, from before the
    // last write: compact() then answers with that one, and the next call builds what it missed.
    const settle = async () => {
      for (let i = 0; i < 3; i++) await rollup.compact('cache');
      expect(await rollup.compact('cache')).toBe(0);
      const days = "SELECT intDiv(time, 86400000) FROM events WHERE site = 'cache'";
      const [{ built, stored }] =
        await rollup.query(`SELECT (SELECT uniqExact(day) FROM rollup_days WHERE site = 'cache' AND day IN (${days})) AS built,
        (SELECT uniqExact(intDiv(time, 86400000)) FROM events WHERE site = 'cache') AS stored`);
      expect(built).toBe(stored);
    };
    const same = async (why) => {
      const [got, want] = await Promise.all([buildReport(rollup, range), buildReport(reference, range)]);
      expect({ ...got, query_ms: 0 }, why).toEqual({ ...want, query_ms: 0 });
      return got;
    };
    const first = [
      at(D1),
      at(D1 + 60_000, { type: 'add_to_cart', props: { value: 5, currency: 'EUR' } }),
      at(D1 + 120_000, { type: 'page_leave', props: { engaged_ms: 900 } }),
      at(D1 + 130_000, { type: 'web_vital', props: { name: 'LCP', value: 1800 } }),
      at(D1 + 140_000, { visitor_id: 'other', session_id: 'os', props: { utm_medium: 'social' } }),
    ];
    await put(first);
    expect(await rollup.compact('cache')).toBe(1);
    const built = await same('read from the rollups');
    expect(built.totals).toEqual({ events: 5, page_views: 2, visitors: 2, sessions: 2 });
    // A late event of the same day, and a repeat of a stored one: that day is read from the events again.
    await put([at(D1 + 150_000, { type: 'purchase', props: { transaction_id: 'L1', value: 5, currency: 'EUR' } }), first[0]]);
    expect((await same('a late event and a repeat')).totals.events).toBe(6);
    // Built again now, before the session goes on: its first day's row is built without the later day's events.
    await settle();
    // The same session goes on two days later (built later): it is one session, not two.
    await put([at(D2), at(D2 + 60_000, { type: 'page_view' })]);
    // Its later day read from the events, its first from a row built alone: still one session (not a return).
    expect(
      (await same('a session over two days, the later one not built')).funnel.find((s) => s.step === 'came_back')?.visitors,
    ).toBe(0);
    await settle();
    const later = await same('a session over two days, built at two times');
    expect(later.totals.sessions).toBe(2);
    expect(later.bounce.bounced).toBe(1);
    // An erasure takes the visitor out of the rollups too.
    expect(await rollup.erase('cache', 'cv')).toBe(7);
    await same('after an erasure');
    for (const t of ['sessions_daily', 'visitors_daily', 'journey_daily', 'typed'])
      expect((await rollup.query(`SELECT count() AS n FROM ${t} WHERE site = 'cache' AND visitor_id = 'cv'`))[0].n, t).toBe(0);
    await settle();
    expect((await same('rebuilt after the erasure')).totals).toEqual({ events: 1, page_views: 1, visitors: 1, sessions: 1 });
    await Promise.all([rollup.close(), reference.close()]);
  });

  it('rollups: checkout steps of a session over days, built or read from the events, count as one session', async () => {
    const url = db.env().JOURNEY_DB;
    const rollup = await createClickHouseStorage({ url });
    const reference = await createClickHouseStorage({ url, dedupe: 'query' });
    const range = { site: 'steps', from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 1, 1), now: NOW };
    const put = (events) => rollup.insert(checkBatch({ v: 1, site: 'steps', events }, NOW).rows);
    const at = (time, type) => event({ time, type, visitor_id: 'kv', session_id: 'ks', props: { value: 5, currency: 'EUR' } });
    const steps = async (why) => {
      const [got, want] = await Promise.all([buildReport(rollup, range), buildReport(reference, range)]);
      expect({ ...got, query_ms: 0 }, why).toEqual({ ...want, query_ms: 0 });
      return got.checkout.map((s) => s.sessions);
    };
    // Its first day built alone, then its next day read from the events, then built too.
    await put([at(Date.UTC(2026, 0, 5, 23, 50), 'view_item')]);
    expect(await rollup.compact('steps')).toBe(1);
    await put([at(Date.UTC(2026, 0, 6, 0, 10), 'add_to_cart')]);
    expect(await steps('its next day read from the events')).toEqual([1, 1, 0, 0, 0, 0]);
    // (The report may have started that build in the background: compact then answers with it.)
    for (let i = 0; i < 3; i++) await rollup.compact('steps');
    expect((await rollup.query("SELECT count() AS n FROM rollup_days WHERE site = 'steps' AND version != 0"))[0].n).toBe(2);
    expect(await steps('both days built')).toEqual([1, 1, 0, 0, 0, 0]);
    await Promise.all([rollup.close(), reference.close()]);
  });

  it('rollups of another version are dropped at start and built again, the report unchanged', async () => {
    const url = db.env().JOURNEY_DB;
    const first = await createClickHouseStorage({ url });
    const range = { site: 'schema', from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 1, 1), now: NOW };
    await first.insert(
      checkBatch({ v: 1, site: 'schema', events: [event({ time: Date.UTC(2026, 0, 3, 10), visitor_id: 'sv' })] }, NOW).rows,
    );
    expect(await first.compact('schema')).toBe(1);
    const before = await buildReport(first, range);
    // Another collector version made these: its tables differ from ours.
    const r = await fetch(`${ch.url}/?database=${url.split('/').pop()}`, {
      method: 'POST',
      body: `INSERT INTO rollup_schema VALUES ('CREATE TABLE an_older_shape', ${Date.now()})`,
    });
    expect(r.status).toBe(200);
    await first.close();
    const again = await createClickHouseStorage({ url });
    expect((await again.query("SELECT count() AS n FROM rollup_days WHERE site = 'schema'"))[0].n).toBe(0);
    expect({ ...(await buildReport(again, range)), query_ms: 0 }).toEqual({ ...before, query_ms: 0 });
    // The report just started a build of its own in the background; whether that or this call builds the
    // day depends on which finishes first, so count the day recorded, not what this call returns.
    await again.compact('schema');
    expect((await again.query("SELECT count() AS n FROM rollup_days WHERE site = 'schema' AND version != 0"))[0].n).toBe(1);
    await again.close();
  });

  it('rollups of today up to its last full hour: read with the events after it, rebuilt each hour, its rows dropped two hours on', async () => {
    const url = db.env().JOURNEY_DB;
    const rollup = await createClickHouseStorage({ url });
    const reference = await createClickHouseStorage({ url, dedupe: 'query' });
    const site = 'today';
    const T = Date.UTC(2026, 0, 10);
    const H = 3_600_000;
    const range = { site, from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 1, 1) };
    const same = async (now, why) => {
      const [got, want] = await Promise.all([buildReport(rollup, { ...range, now }), buildReport(reference, { ...range, now })]);
      expect({ ...got, query_ms: 0 }, why).toEqual({ ...want, query_ms: 0 });
      return got;
    };
    const stored = (events, sentAt) => rollup.insert(checkBatch({ v: 1, site, sent_at: sentAt, events }, T + 20 * H).rows);
    const at = (time, visitor_id, session_id, over = {}) => event({ time, visitor_id, session_id, ...over });
    const partials = async () =>
      (await rollup.query(`SELECT print FROM rollup_days FINAL WHERE site = '${site}' AND day = ${T / 86_400_000}`)).map(
        (r) => r.print.split('@')[1],
      );
    await stored([
      at(T - 15 * H, 'a', 'a0'),
      at(T + 9 * H, 'a', 'a1'),
      at(T + 9 * H + 300_000, 'a', 'a1', { type: 'add_to_cart', props: { value: 4, currency: 'EUR' } }),
      at(T + 9 * H + 400_000, 'a', 'a1', { type: 'page_leave', props: { engaged_ms: 800 } }),
      // A session on both sides of the cut (14:00), its purchase after it.
      at(T + 13.5 * H, 'b', 'b1'),
      at(T + 14 * H + 1_200_000, 'b', 'b1', { type: 'purchase', props: { transaction_id: 'P1', value: 9, currency: 'EUR' } }),
      // Visitor a again after the cut: one visitor of the day, with rows and events both. And one visitor only
      // before the cut, one only after: the day's visitors are neither its rows' nor its events' alone.
      at(T + 14 * H + 1_800_000, 'a', 'a2'),
      at(T + 10 * H, 'f', 'f1'),
      at(T + 14 * H + 1_500_000, 'e', 'e1'),
    ]);
    // The day before, whole, and today up to 14:00.
    expect(await rollup.compact(site, T + 14 * H + 2_400_000)).toBe(2);
    expect(await partials()).toEqual([String(T + 14 * H)]);
    const first = await same(T + 14 * H + 2_400_000, 'today up to the cut from its rows');
    expect(first.timeline.rows.find((r) => r.at === '2026-01-10')).toMatchObject({ visitors: 4, sessions: 5 });
    expect(first.totals).toEqual({ events: 9, page_views: 6, visitors: 4, sessions: 6 });
    // Built so already this hour: nothing to do.
    expect(await rollup.compact(site, T + 14 * H + 3_000_000)).toBe(0);
    // A late event before the cut: today is read from the events until built again.
    await stored([at(T + 11 * H, 'c', 'c1')]);
    await same(T + 14 * H + 2_400_000, 'a late event before the cut');
    expect(await rollup.compact(site, T + 14 * H + 3_000_000)).toBe(1);
    await same(T + 14 * H + 3_000_000, 'built again with the late event');
    // The next hours: each build moves the cut; the one two hours on empties the first one's partition.
    const slot = async (cut) =>
      (await rollup.query(`SELECT count() AS n FROM journey_daily WHERE site = '${site}' AND slot = ${1 + ((cut / H) % 4)}`))[0]
        .n;
    expect(await slot(T + 14 * H)).toBeGreaterThan(0);
    expect(await rollup.compact(site, T + 15 * H + 2_700_000)).toBe(1);
    expect(await slot(T + 14 * H)).toBeGreaterThan(0);
    expect(await rollup.compact(site, T + 16 * H + 2_700_000)).toBe(1);
    expect(await slot(T + 14 * H)).toBe(0);
    expect(await partials()).toEqual([String(T + 16 * H)]);
    await same(T + 16 * H + 2_700_000, 'cut at 16:00');
    // A retry whose copy lands on the other side of the next cut (17:00): today stays on the events.
    const edge = at(T + 17 * H - 30_000, 'd', 'd1');
    await stored([edge]);
    await stored([edge], T + 20 * H - 120_000);
    expect(await rollup.compact(site, T + 17 * H + 2_700_000)).toBe(0);
    expect(await partials()).toEqual([String(T + 16 * H)]);
    await same(T + 17 * H + 2_700_000, 'a copy on each side of the cut');
    // The partial day's rows are what the report reads: a visitor planted in them shows in its day.
    const [{ version }] = await rollup.query(
      `SELECT argMax(version, built) AS version FROM rollup_days WHERE site = '${site}' AND day = ${T / 86_400_000}`,
    );
    const planted = await fetch(`${ch.url}/?database=${url.split('/').pop()}`, {
      method: 'POST',
      body: `INSERT INTO visitors_daily (site, day, version, visitor_id, slot) VALUES ('${site}', ${T / 86_400_000}, ${version}, 'planted', ${1 + (((16 * H) / H) % 4)})`,
    });
    expect(planted.status).toBe(200);
    const day = async (storage) =>
      (await buildReport(storage, { ...range, now: T + 17 * H + 2_700_000 })).timeline.rows.find((r) => r.at === '2026-01-10')
        ?.visitors;
    expect(await day(rollup)).toBe((await day(reference)) + 1);
    // Over two hours after its cut the rows are no longer read (their partition may go soon): the events are.
    await same(T + 18 * H + 15 * 60_000, 'long after the last cut');
    await Promise.all([rollup.close(), reference.close()]);
  });

  it('rollups with repeats stored at other corrected times (across midnight, around the end of a session) and an erasure of a visitor id with braces', async () => {
    const url = db.env().JOURNEY_DB;
    const rollup = await createClickHouseStorage({ url });
    const reference = await createClickHouseStorage({ url, dedupe: 'query' });
    const site = 'copies';
    const month = { site, from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 1, 1), now: NOW };
    const same = async (range, why) => {
      const [got, want] = await Promise.all([buildReport(rollup, range), buildReport(reference, range)]);
      expect({ ...got, query_ms: 0 }, why).toEqual({ ...want, query_ms: 0 });
      return got;
    };
    const stored = (events, sentAt) => rollup.insert(checkBatch({ v: 1, site, sent_at: sentAt, events }, NOW).rows);
    // A page view a minute before midnight, and its retry from a batch whose clock looked two minutes behind:
    // the copy lands on the next day.
    const night = event({ time: Date.UTC(2026, 0, 8, 23, 59), visitor_id: 'n', session_id: 'n1' });
    await stored([night]);
    await stored([night], NOW - 120_000);
    // A cart whose retried copy moved two minutes later: 31 minutes before the report's now, and 29.
    const cart = event({
      time: NOW - 31 * 60_000,
      visitor_id: 'c',
      session_id: 'c1',
      type: 'add_to_cart',
      props: { value: 3, currency: 'EUR' },
    });
    await stored([event({ time: NOW - 40 * 60_000, visitor_id: 'c', session_id: 'c1' }), cart]);
    await stored([cart], NOW - 120_000);
    const hostile = '{x}{site}';
    await stored([event({ time: Date.UTC(2026, 0, 12, 9), visitor_id: hostile, session_id: 'h1' })]);
    for (let i = 0; i < 3; i++) await rollup.compact(site);
    expect(await rollup.compact(site)).toBe(0);
    const all = await same(month, 'the whole month');
    expect(all.totals).toEqual({ events: 4, page_views: 3, visitors: 3, sessions: 3 });
    expect(all.cart_abandonment.carted).toBe(0);
    await same({ ...month, from: Date.UTC(2026, 0, 9), to: Date.UTC(2026, 0, 10) }, 'the day after the midnight copy');
    await same({ ...month, from: Date.UTC(2026, 0, 8), to: Date.UTC(2026, 0, 9) }, 'the day of the midnight original');
    expect(await rollup.erase(site, hostile)).toBe(1);
    expect((await same(month, 'after erasing a visitor id with braces')).totals.visitors).toBe(2);
    await Promise.all([rollup.close(), reference.close()]);
  });
};

for (const server of await clickhouses()) describeClickHouse(server, 'ClickHouse engine', engineSuite);
