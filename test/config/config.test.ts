import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envName, envSettings, loadConfig } from '../../src/config/load.ts';
import { GatehouseError } from '../../src/errors.ts';
import { redactForLog, createLogger } from '../../src/runtime/logger.ts';

function tree() {
  const root = mkdtempSync(join(tmpdir(), 'gatehouse-config-'));
  mkdirSync(join(root, 'a', 'b'), { recursive: true });
  writeFileSync(join(root, 'gatehouse.yaml'), 'server: { port: 9001 }\n');
  writeFileSync(join(root, 'other.yaml'), 'server: { port: 9002 }\n');
  return root;
}

test('discovery: --config, then GATEHOUSE_CONFIG, then gatehouse.yaml here or above, else defaults', () => {
  const root = tree();
  try {
    assert.equal(loadConfig({ cwd: join(root, 'a', 'b'), env: {} }).config.server.port, 9001);
    assert.equal(loadConfig({ cwd: join(root, 'a'), env: { GATEHOUSE_CONFIG: join(root, 'other.yaml') } }).config.server.port, 9002);
    assert.equal(loadConfig({ cwd: root, env: { GATEHOUSE_CONFIG: 'gatehouse.yaml' }, config: 'other.yaml' }).config.server.port, 9002);
    const defaults = loadConfig({ cwd: tmpdir(), env: {} });
    assert.equal(defaults.file, undefined);
    assert.equal(defaults.config.decisions.globalDefault, 'deny');
    assert.equal(defaults.config.decisions.failOpen, false);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('every setting has a GATEHOUSE_* variable that overrides the file', () => {
  const root = tree();
  try {
    const names = envSettings().map(([path]) => envName(path));
    assert.ok(names.includes('GATEHOUSE_SERVER_PORT'));
    assert.ok(names.includes('GATEHOUSE_DECISIONS_FAIL_OPEN'));
    assert.ok(names.includes('GATEHOUSE_STORE_PATH'));
    const c = loadConfig({ cwd: root, env: { GATEHOUSE_SERVER_PORT: '7000', GATEHOUSE_DECISIONS_FAIL_OPEN: 'true', GATEHOUSE_POLICIES: 'p1, p2', GATEHOUSE_DECISIONS_GLOBAL_DEFAULT: 'require_approval' } }).config;
    assert.equal(c.server.port, 7000);
    assert.equal(c.decisions.failOpen, true);
    assert.deepEqual(c.policies, ['p1', 'p2']);
    assert.equal(c.decisions.globalDefault, 'require_approval');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a bad config is a CONFIG_INVALID error naming the key, and a missing --config says so', () => {
  const root = tree();
  try {
    writeFileSync(join(root, 'bad.yaml'), 'server: { prot: 1 }\ndecisions: { globalDefault: maybe }\n');
    assert.throws(
      () => loadConfig({ cwd: root, env: {}, config: 'bad.yaml' }),
      (e: unknown) => e instanceof GatehouseError && e.code === 'CONFIG_INVALID' && e.details.some((d) => /prot/.test(d.message)) && e.details.some((d) => d.where === 'decisions.globalDefault'),
    );
    assert.throws(() => loadConfig({ cwd: root, env: {}, config: 'nope.yaml' }), /config file not found/);
    assert.throws(() => loadConfig({ cwd: root, env: { GATEHOUSE_SERVER_PORT: 'abc' } }), (e: unknown) => e instanceof GatehouseError && e.code === 'CONFIG_INVALID');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('structured logs never contain secrets', () => {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', write: (l) => lines.push(l) });
  logger.log('info', 'request', { authorization: 'Bearer gh_abc_def', nested: { apiKey: 'k', password: 'p', note: 'sent Bearer sk-live-123 upstream' }, ok: 1 });
  const line = JSON.parse(lines[0]!);
  assert.equal(line.authorization, '[REDACTED]');
  assert.equal(line.nested.apiKey, '[REDACTED]');
  assert.equal(line.nested.password, '[REDACTED]');
  assert.equal(line.nested.note, 'sent Bearer [REDACTED] upstream');
  assert.equal(line.ok, 1);
  assert.deepEqual(redactForLog({ token: 'x' }), { token: '[REDACTED]' });
});
