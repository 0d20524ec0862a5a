import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configPath, loadSettings, parseConfig } from '../../examples/collector/lib/config.js';

const files = (/** @type {Record<string, string>} */ map) => (/** @type {string} */ p) => {
  if (!(p in map)) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
  return map[p];
};

describe('collector config file', () => {
  it('maps each key to the variable it stands for', () => {
    const text = JSON.stringify({
      db: 'clickhouse://default@ch:8123/journey',
      port: 9000,
      host: '0.0.0.0',
      data: 'd',
      flush_ms: 50,
      token: 't',
      origins: { shop: ['https://shop.example'] },
      rate: 5,
    });
    expect(parseConfig(text, 'j.json')).toEqual({
      JOURNEY_DB: 'clickhouse://default@ch:8123/journey',
      PORT: '9000',
      HOST: '0.0.0.0',
      JOURNEY_DATA: 'd',
      JOURNEY_FLUSH_MS: '50',
      JOURNEY_TOKEN: 't',
      JOURNEY_ORIGINS: '{"shop":["https://shop.example"]}',
      JOURNEY_RATE: '5',
    });
  });

  it('takes the access and limit keys; hosts and trusted proxies are arrays of strings', () => {
    const text = JSON.stringify({
      hosts: ['collect.example.com', 'stats.example.com'],
      trust_proxy: ['loopback', '10.0.0.0/8'],
      rate_bytes: 500000,
      max_connections: 100,
      body_budget: 8000000,
    });
    expect(parseConfig(text, 'j.json')).toEqual({
      JOURNEY_HOSTS: 'collect.example.com,stats.example.com',
      JOURNEY_TRUST_PROXY: 'loopback,10.0.0.0/8',
      JOURNEY_RATE_BYTES: '500000',
      JOURNEY_MAX_CONNECTIONS: '100',
      JOURNEY_BODY_BUDGET: '8000000',
    });
    expect(() => parseConfig('{"hosts": "collect.example.com"}', 'j.json')).toThrow(/"hosts" must be an array of strings/);
  });

  it('the environment wins over the file; unset and empty variables do not', () => {
    const read = files({ 'j.json': '{"db": "clickhouse://ch:8123/journey", "port": 9000}' });
    const s = loadSettings({ env: { JOURNEY_CONFIG: 'j.json', PORT: '7000', JOURNEY_DB: '', HOST: undefined }, read });
    expect(s.PORT).toBe('7000');
    expect(s.JOURNEY_DB).toBe('clickhouse://ch:8123/journey');
    expect(s.HOST).toBeUndefined();
  });

  it('--config on the command line, before JOURNEY_CONFIG; none at all leaves the environment as it is', () => {
    expect(configPath(['--config', 'a.json'], { JOURNEY_CONFIG: 'b.json' })).toBe('a.json');
    expect(configPath(['--config=a.json'], {})).toBe('a.json');
    expect(configPath([], { JOURNEY_CONFIG: 'b.json' })).toBe('b.json');
    const env = { PORT: '1' };
    expect(loadSettings({ env, argv: [] })).toBe(env);
    expect(() => configPath(['--config'], {})).toThrow(/expected a path/);
  });

  it('a bad file is an error naming the file and what is wrong', () => {
    const load = (/** @type {string} */ text) => () =>
      loadSettings({ env: {}, argv: ['--config', 'j.json'], read: files({ 'j.json': text }) });
    expect(load('{"db": ')).toThrow(/config j\.json: not valid JSON/);
    expect(load('[1]')).toThrow(/config j\.json: expected a JSON object/);
    expect(load('{"dbb": "duckdb"}')).toThrow(/unknown key "dbb"/);
    expect(load('{"port": "8787"}')).toThrow(/"port" must be a number, got string/);
    expect(load('{"origins": ["x"]}')).toThrow(/"origins" must be an object, got array/);
    expect(() => loadSettings({ env: {}, argv: ['--config', 'missing.json'], read: files({}) })).toThrow(
      /config missing\.json: cannot read it \(ENOENT\)/,
    );
  });

  it('the server refuses to start on a bad file, with the reason', () => {
    const dir = mkdtempSync(join(tmpdir(), 'journey-config-'));
    try {
      const path = join(dir, 'journey.config.json');
      writeFileSync(path, '{"db": "duckdb", "prot": 9000}');
      const server = fileURLToPath(new URL('../../examples/collector/server.js', import.meta.url));
      const r = spawnSync(process.execPath, [server, '--config', path], {
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, JOURNEY_DATA: dir },
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('unknown key "prot"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
