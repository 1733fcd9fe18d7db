import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ConfigResult, type LoadedConfig, loadConfig } from '../src/config/load.js';

const fixtures = resolve(import.meta.dirname, 'fixtures/config');

function ok(result: ConfigResult): LoadedConfig {
  if (!result.ok) throw new Error(`expected the config to load, got:\n${result.message}`);
  return result;
}

function load(argv: string[], opts: { env?: Record<string, string>; cwd?: string } = {}) {
  return loadConfig({ argv, env: opts.env ?? {}, cwd: opts.cwd ?? mkdtempSync(join(tmpdir(), 'tgun-cfg-')) });
}

describe('defaults', () => {
  it('match gunicorn', async () => {
    const { config, origins } = ok(await load([]));
    expect(config.bind).toEqual(['127.0.0.1:8000']);
    expect(config.workers).toBe(1);
    expect(config.timeout).toBe(30);
    expect(config.gracefulTimeout).toBe(30);
    expect(config.keepAlive).toBe(2);
    expect(config.backlog).toBe(2048);
    expect(config.limitRequestLine).toBe(4094);
    expect(config.limitRequestFields).toBe(100);
    expect(config.limitRequestFieldSize).toBe(8190);
    expect(config.forwardedAllowIps).toEqual(['127.0.0.1', '::1']);
    expect(origins.workers?.layer).toBe('default');
  });

  it('read WEB_CONCURRENCY and PORT', async () => {
    const { config } = ok(await load([], { env: { WEB_CONCURRENCY: '3', PORT: '9000' } }));
    expect(config.workers).toBe(3);
    expect(config.bind).toEqual(['0.0.0.0:9000']);
  });

  it('report an invalid WEB_CONCURRENCY as a problem naming the variable', async () => {
    const result = await load([], { env: { WEB_CONCURRENCY: 'lots' } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/workers: .*WEB_CONCURRENCY/);
  });
});

describe('precedence: default < framework < file < TGUN_CMD_ARGS < command line', () => {
  const cwd = join(fixtures, 'mjs'); // workers 2, logLevel warning, maxRequests 1000

  it('the config file beats the framework layer, which beats defaults', async () => {
    const r = ok(
      await loadConfig({ argv: [], env: {}, cwd }, { name: 'express', values: { workers: 9, keepAlive: 60 } }),
    );
    expect(r.config.workers).toBe(2);
    expect(r.origins.workers?.layer).toBe('file');
    expect(r.config.keepAlive).toBe(60);
    expect(r.origins.keepAlive?.source).toBe('framework (express)');
  });

  it('TGUN_CMD_ARGS beats the config file', async () => {
    const r = ok(await load([], { cwd, env: { TGUN_CMD_ARGS: '--workers 4 --log-level "debug"' } }));
    expect(r.config.workers).toBe(4);
    expect(r.config.logLevel).toBe('debug');
    expect(r.config.maxRequests).toBe(1000);
    expect(r.origins.workers?.layer).toBe('env');
  });

  it('the command line beats TGUN_CMD_ARGS', async () => {
    const r = ok(await load(['-w', '8'], { cwd, env: { TGUN_CMD_ARGS: '--workers 4', WEB_CONCURRENCY: '5' } }));
    expect(r.config.workers).toBe(8);
    expect(r.origins.workers?.layer).toBe('cli');
  });

  it("repeated --bind replaces the lower layers' list", async () => {
    const r = ok(await load(['-b', '127.0.0.1:1', '--bind', 'unix:/tmp/x.sock'], { cwd: join(fixtures, 'json') }));
    expect(r.config.bind).toEqual(['127.0.0.1:1', 'unix:/tmp/x.sock']);
  });

  it('switches turn on, and --no-<switch> turns off what a file turned on', async () => {
    expect(ok(await load(['--reload'])).config.reload).toBe(true);
    const r = ok(await load(['--no-preload'], { cwd: join(fixtures, 'cjs') }));
    expect(r.config.preloadApp).toBe(false);
  });

  it('reads flags that are negative by name and flags whose value is optional', async () => {
    const r = ok(await load(['--no-sendfile', '--no-control-socket', '--proxy-protocol', 'app.mjs:app']));
    expect([r.config.sendfile, r.config.controlSocketDisable, r.config.proxyProtocol]).toEqual([false, true, 'auto']);
    expect(r.appUri).toBe('app.mjs:app');
    expect(ok(await load(['--proxy-protocol', 'v2'])).config.proxyProtocol).toBe('v2');
    expect(ok(await load(['--umask', '0022'])).config.umask).toBe(0o22);
    expect((await load(['--umask', '0999'])).ok).toBe(false);
  });

  it('the application comes from the command line, else TGUN_CMD_ARGS, else the file', async () => {
    const cwd2 = join(fixtures, 'withapp');
    expect(ok(await load([], { cwd: cwd2 })).appUri).toBe('app.mjs:handler');
    expect(ok(await load([], { cwd: cwd2, env: { TGUN_CMD_ARGS: 'other:app' } })).appUri).toBe('other:app');
    expect(ok(await load(['cli.mjs:app'], { cwd: cwd2, env: { TGUN_CMD_ARGS: 'other:app' } })).appUri).toBe(
      'cli.mjs:app',
    );
  });
});

describe('config files', () => {
  it('loads TypeScript with a default export through defineConfig, keeping hooks', async () => {
    const r = ok(await load([], { cwd: join(fixtures, 'ts-default') }));
    expect(r.config.workers).toBe(3);
    expect(r.config.bind).toEqual(['127.0.0.1:9001', 'unix:/tmp/tgun-fixture.sock']);
    expect(r.config.timeout).toBe(45);
    expect(r.config.onStarting.name).toBe('onStarting');
    expect(r.configFile).toBe(join(fixtures, 'ts-default', 'tgun.config.ts'));
    expect(r.origins.timeout?.source).toBe(r.configFile);
  });

  it('loads named exports like a gunicorn.conf.py (.mts)', async () => {
    const r = ok(await load([], { cwd: join(fixtures, 'mts-named') }));
    expect(r.config.workers).toBe(5);
    expect(r.config.keepAlive).toBe(75);
    expect(r.config.bind).toEqual(['0.0.0.0:9100']);
    expect(r.config.whenReady.name).toBe('whenReady');
  });

  it('loads CommonJS and JSON files', async () => {
    const cjs = ok(await load([], { cwd: join(fixtures, 'cjs') }));
    expect([cjs.config.workers, cjs.config.gracefulTimeout, cjs.config.preloadApp]).toEqual([6, 5, true]);
    const json = ok(await load([], { cwd: join(fixtures, 'json') }));
    expect(json.config.workers).toBe(7);
    expect(json.config.forwardedAllowIps).toEqual(['10.0.0.0/8', '127.0.0.1']);
  });

  it('takes -c from the command line or TGUN_CMD_ARGS over ./tgun.config.*', async () => {
    const cwd = join(fixtures, 'mjs');
    const viaCli = ok(await load(['-c', join(fixtures, 'cjs/tgun.config.cjs')], { cwd }));
    expect(viaCli.config.workers).toBe(6);
    const viaEnv = ok(
      await load([], { cwd, env: { TGUN_CMD_ARGS: `--config ${join(fixtures, 'json/tgun.config.json')}` } }),
    );
    expect(viaEnv.config.workers).toBe(7);
  });

  it("evaluates the arbiter's snapshot instead of the disk when given one (what workers do)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tgun-cfg-'));
    const path = join(dir, 'tgun.config.mjs');
    writeFileSync(path, 'export const workers = 2;\n');
    const first = ok(await load([], { cwd: dir }));
    expect(first.configSource).toBe('export const workers = 2;\n');
    writeFileSync(path, 'export const workers = ;\n'); // broken on disk after the arbiter loaded it
    const worker = ok(
      await loadConfig({ argv: [], env: {}, cwd: dir, configSnapshot: { path, source: first.configSource ?? '' } }),
    );
    expect(worker.config.workers).toBe(2);
    expect((await load([], { cwd: dir })).ok).toBe(false);
  });

  it('re-reads the file on every load (what a HUP relies on)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tgun-cfg-'));
    writeFileSync(join(dir, 'tgun.config.mjs'), 'export const workers = 2;\n');
    expect(ok(await load([], { cwd: dir })).config.workers).toBe(2);
    writeFileSync(join(dir, 'tgun.config.mjs'), 'export const workers = 3;\n');
    expect(ok(await load([], { cwd: dir })).config.workers).toBe(3);
  });
});

describe('bad input: every problem in one message, with its layer', () => {
  it('lists wrong types, ranges, binds, hooks and unknown names together', async () => {
    const file = join(fixtures, 'broken/bad-values.config.mjs');
    const result = await load(['-c', file, '--timeout', 'soon', '--wrokers', '2']);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const m = result.message;
    expect(m).toMatch(/workers: expected a whole number, got "many" \[.*bad-values\.config\.mjs\]/);
    expect(m).toMatch(/timeout: must be at least 0.*\[.*bad-values/);
    expect(m).toMatch(/bind: '99999' is not a valid port number/);
    expect(m).toMatch(/onStarting: must be a function/);
    expect(m).toMatch(/accesslog: unknown setting; did you mean accessLog\?/);
    expect(m).toMatch(/timeout: .*\[command line\]/);
    expect(m).toMatch(/--wrokers: unknown option; did you mean --workers\?/);
    expect(result.exitCode).toBe(2);
  });

  it('exits 1 (not 2) when only values are wrong', async () => {
    const result = await load(['--workers', '0']);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.exitCode).toBe(1);
  });

  it('explains gunicorn-only settings instead of calling them unknown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tgun-cfg-'));
    writeFileSync(join(dir, 'tgun.config.mjs'), "export const pythonpath = '/srv';\n");
    const result = await load([], { cwd: dir });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/pythonpath: is a gunicorn setting with no meaning on Node/);
  });

  it('reports a config file that throws, with its path and reason but no stack', async () => {
    const file = join(fixtures, 'broken/throws.config.mjs');
    const result = await load(['-c', file]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain(file);
    expect(result.message).toContain('database URL missing');
    expect(result.message).not.toMatch(/^\s+at /m);
    const debug = await load(['-c', file, '--log-level', 'debug']);
    if (!debug.ok) expect(debug.message).toMatch(/^\s+at /m);
  });

  it('reports syntax errors, missing files and non-object default exports', async () => {
    for (const [file, pattern] of [
      ['broken/syntax.config.ts', /syntax\.config\.ts/],
      ['broken/nope.config.ts', /does not exist/],
      ['broken/default-not-object.config.mjs', /default export must be an object/],
    ] as const) {
      const result = await load(['-c', join(fixtures, file)]);
      expect(result.ok, file).toBe(false);
      if (!result.ok) expect(result.message).toMatch(pattern);
    }
  });

  it('rejects more than one application and TGUN_CMD_ARGS shell operators', async () => {
    const two = await load(['a.js:app', 'b.js:app']);
    expect(two.ok).toBe(false);
    const ops = await load([], { env: { TGUN_CMD_ARGS: '--workers 2 ; rm -rf /' } });
    expect(ops.ok).toBe(false);
    if (!ops.ok) expect(ops.message).toMatch(/TGUN_CMD_ARGS/);
  });
});
