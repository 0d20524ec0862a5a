// `npm start`: the collector, the demo shop and the report on one port, loopback by default.
import { createStorage } from './lib/storage/index.js';
import { createCollector } from './lib/collector.js';
import { loadSettings } from './lib/config.js';
import { isZone } from './lib/range.js';
import { accessOptions, describeAccess } from './lib/access-settings.js';

/** @type {Record<string, string | undefined>} */
let env;
/** @type {ReturnType<typeof accessOptions>} */
let guard;
try {
  // Variables, or a JSON file (`JOURNEY_CONFIG=path` or `--config path`) whose keys the variables override.
  env = loadSettings({ env: process.env, argv: process.argv.slice(2) });
  guard = accessOptions(env);
} catch (e) {
  console.error(`collector: ${/** @type {Error} */ (e).message}`);
  process.exit(1);
}
const host = env.HOST || '127.0.0.1';
const port = Number(env.PORT || 8787);

/** @param {string | undefined} s @returns {Record<string, string[]>} */
const parseOrigins = (s) => {
  if (!s) return {};
  try {
    return JSON.parse(s);
  } catch {
    console.error('JOURNEY_ORIGINS: expected JSON such as {"my-shop":["https://shop.example"]}; ignored');
    return {};
  }
};

/** The report's time zone per site: JSON such as {"my-shop":"Europe/Berlin"}; unknown zones are left out (UTC). @param {string | undefined} s */
const parseZones = (s) => {
  if (!s) return {};
  /** @type {Record<string, string>} */
  const zones = {};
  try {
    for (const [site, tz] of Object.entries(JSON.parse(s)))
      if (typeof tz === 'string' && isZone(tz)) zones[site] = tz;
      else
        console.error(
          `JOURNEY_ZONES: ${site}: ${JSON.stringify(tz)} is not a time zone (an IANA name such as Europe/Berlin); its report uses UTC`,
        );
  } catch {
    console.error('JOURNEY_ZONES: expected JSON such as {"my-shop":"Europe/Berlin"}; ignored');
  }
  return zones;
};

const storage = await createStorage(env).catch((e) => {
  console.error(`collector: cannot open storage: ${e.message}`);
  process.exit(1);
});
// Never print a password that came in JOURNEY_DB.
const storageName =
  env.JOURNEY_DB && env.JOURNEY_DB !== 'duckdb'
    ? env.JOURNEY_DB.replace(/\/\/[^@/]*@/, '//')
    : `data: ${env.JOURNEY_DATA || 'data'}`;
/** @type {ReturnType<typeof createCollector>} */
let collector;
try {
  collector = createCollector({
    storage,
    host,
    ...guard,
    origins: parseOrigins(env.JOURNEY_ORIGINS),
    zones: parseZones(env.JOURNEY_ZONES),
    writer: env.JOURNEY_FLUSH_MS ? { delayMs: Number(env.JOURNEY_FLUSH_MS) } : undefined,
  });
} catch (e) {
  // A setting that would leave reports open (or a token too short to hold) stops the start.
  console.error(`collector: ${/** @type {Error} */ (e).message}`);
  await storage.close().catch(() => {});
  process.exit(1);
}
const bound = await collector.listen(port);
const base = `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
console.log(`journey collector on ${base} (${storageName})
  demo shop:  ${base}/shop/
  report:     ${base}/report?site=demo-shop
  ingest:     POST ${base}/collect
${describeAccess(guard)}`);

let stopping = false;
const stop = async (/** @type {string} */ signal) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: finishing accepted batches…`);
  await collector.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
