// The collector's settings from a JSON file (`JOURNEY_CONFIG=path` or `--config path`), as the
// variables server.js reads anyway: one code path, and a variable set in the environment wins.
import { readFileSync } from 'node:fs';

/** File key -> the variable it stands for, and the JSON type it must have. */
const KEYS = /** @type {const} */ ({
  port: ['PORT', 'number'],
  host: ['HOST', 'string'],
  data: ['JOURNEY_DATA', 'string'],
  db: ['JOURNEY_DB', 'string'],
  flush_ms: ['JOURNEY_FLUSH_MS', 'number'],
  token: ['JOURNEY_TOKEN', 'string'],
  origins: ['JOURNEY_ORIGINS', 'object'],
  rate: ['JOURNEY_RATE', 'number'],
  rate_bytes: ['JOURNEY_RATE_BYTES', 'number'],
  hosts: ['JOURNEY_HOSTS', 'list'],
  trust_proxy: ['JOURNEY_TRUST_PROXY', 'list'],
  max_connections: ['JOURNEY_MAX_CONNECTIONS', 'number'],
  body_budget: ['JOURNEY_BODY_BUDGET', 'number'],
  zones: ['JOURNEY_ZONES', 'object'],
});

/** @param {unknown} v */
const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/**
 * Where the config file is, if any: `--config path` (or `--config=path`) first, then JOURNEY_CONFIG.
 * @param {readonly string[]} argv  the arguments after the script
 * @param {Record<string, string | undefined>} env
 * @returns {string | undefined}
 */
export const configPath = (argv, env) => {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--config') {
      if (!argv[i + 1]) throw new Error('--config: expected a path to a JSON file');
      return argv[i + 1];
    }
    if (argv[i].startsWith('--config=')) return argv[i].slice('--config='.length);
  }
  return env.JOURNEY_CONFIG || undefined;
};

/**
 * Parse a config file's text into the variables it sets. Throws, naming the file and the key,
 * on anything it does not understand: a typo should stop the start, not be ignored.
 * @param {string} text @param {string} path for messages
 * @returns {Record<string, string>}
 */
export const parseConfig = (text, path) => {
  /** @type {unknown} */
  let json;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`config ${path}: not valid JSON (${/** @type {Error} */ (e).message})`);
  }
  if (typeOf(json) !== 'object') throw new Error(`config ${path}: expected a JSON object such as {"db": "duckdb", "port": 8787}`);
  /** @type {Record<string, string>} */
  const vars = {};
  for (const [key, value] of Object.entries(/** @type {Record<string, unknown>} */ (json))) {
    const known = /** @type {Record<string, readonly [string, string]>} */ (KEYS)[key];
    if (!known) throw new Error(`config ${path}: unknown key "${key}" (known: ${Object.keys(KEYS).join(', ')})`);
    const [name, type] = known;
    // A list is an array of strings in the file, a comma-separated string in the variable.
    if (type === 'list') {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && !v.includes(',')))
        throw new Error(`config ${path}: "${key}" must be an array of strings such as ["collect.example.com"]`);
      vars[name] = value.join(',');
      continue;
    }
    if (typeOf(value) !== type)
      throw new Error(`config ${path}: "${key}" must be ${type === 'object' ? 'an' : 'a'} ${type}, got ${typeOf(value)}`);
    if (type === 'number' && !Number.isFinite(value)) throw new Error(`config ${path}: "${key}" must be a finite number`);
    vars[name] = type === 'object' ? JSON.stringify(value) : String(value);
  }
  return vars;
};

/**
 * The settings to start with: the config file's (if one is named), overridden by every variable
 * set in the environment.
 * @param {{ env: Record<string, string | undefined>, argv?: readonly string[], read?: (path: string) => string }} opts
 * @returns {Record<string, string | undefined>}
 */
export const loadSettings = ({ env, argv = [], read = (p) => readFileSync(p, 'utf8') }) => {
  const path = configPath(argv, env);
  if (!path) return env;
  let text;
  try {
    text = read(path);
  } catch (e) {
    throw new Error(
      `config ${path}: cannot read it (${/** @type {NodeJS.ErrnoException} */ (e).code ?? /** @type {Error} */ (e).message})`,
    );
  }
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  return { ...parseConfig(text, path), ...set };
};
