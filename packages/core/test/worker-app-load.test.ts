import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServedApp } from '../src/adapter.js';
import { type LoadedApp, loadApp, parseAppUri } from '../src/app/load.js';
import { TgunError } from '../src/errors.js';

const APPS = join(import.meta.dirname, 'fixtures', 'apps');
const dir = mkdtempSync(join(tmpdir(), 'tgun-appload-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Serves `app` once on a real socket and returns the body of one response. */
async function answer(loaded: LoadedApp | ServedApp): Promise<string> {
  const app = 'adapterName' in loaded ? loaded.app : loaded;
  if (app.kind !== 'listener') throw new Error('expected a listener app');
  const server = createServer(app.listener as (req: IncomingMessage, res: ServerResponse) => void);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const { port } = server.address() as { port: number };
    const res = await fetch(`http://127.0.0.1:${port}/`);
    return await res.text();
  } finally {
    server.close();
  }
}

async function loadError(uri: string, cwd = APPS): Promise<TgunError> {
  try {
    await loadApp(uri, { cwd });
  } catch (err) {
    expect(err).toBeInstanceOf(TgunError);
    expect((err as TgunError).code).toBe('TGUN_ERR_APP_LOAD');
    return err as TgunError;
  }
  throw new Error(`${uri} loaded`);
}

describe('loadApp', () => {
  it('splits MODULE:VARIABLE only at an identifier path', () => {
    expect(parseAppUri('app.mjs:handler')).toEqual({ module: 'app.mjs', variable: 'handler', call: false });
    expect(parseAppUri('src/app.mjs:a.b()')).toEqual({ module: 'src/app.mjs', variable: 'a.b', call: true });
    expect(parseAppUri('app.mjs')).toEqual({ module: 'app.mjs', variable: null, call: false });
    expect(parseAppUri('weird:path/app.mjs')).toEqual({ module: 'weird:path/app.mjs', variable: null, call: false });
  });

  it('resolves named, nested, default and `app` exports', async () => {
    expect(await answer(await loadApp('named.mjs:handler', { cwd: APPS }))).toBe('named');
    expect(await answer(await loadApp('./named.mjs:nested.inner', { cwd: APPS }))).toBe('nested');
    expect(await answer(await loadApp('app-export', { cwd: APPS }))).toBe('app-export');
    expect(await answer(await loadApp('commonjs.cjs', { cwd: APPS }))).toBe('commonjs');
  });

  it('loads TypeScript, calls factories and awaits promises', async () => {
    expect(await answer(await loadApp('typed.ts', { cwd: APPS }))).toBe('typed');
    expect(await answer(await loadApp('factory.mjs', { cwd: APPS }))).toBe('factory');
    expect(await answer(await loadApp('factory.mjs:later', { cwd: APPS }))).toBe('promise');
    const { app: served } = await loadApp('served.mjs', { cwd: APPS });
    expect(served.settings).toEqual({ keepAlive: 9 });
    expect(await answer(served)).toBe('served');
  });

  it('serves an exported http.Server as a server app', async () => {
    const { app } = await loadApp(join(import.meta.dirname, 'fixtures', 'server-app.mjs'), { cwd: APPS });
    expect(app.kind).toBe('server');
  });

  it('resolves a bare name as an ESM-only package from the working directory', async () => {
    const pkg = join(dir, 'node_modules', 'fake-app-pkg');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(
      join(pkg, 'package.json'),
      JSON.stringify({ name: 'fake-app-pkg', type: 'module', exports: { '.': { import: './index.js' } } }),
    );
    writeFileSync(join(pkg, 'index.js'), "export default (_req, res) => res.end('package');\n");
    expect(await answer(await loadApp('fake-app-pkg', { cwd: dir }))).toBe('package');
  });

  it('hands a thenable app to its adapter without awaiting it (Fastify, itty-router)', async () => {
    writeFileSync(
      join(dir, 'thenable.mjs'),
      "export const app = (_req, res) => res.end('thenable');\napp.then = () => {};\n",
    );
    const loaded = await loadApp('thenable.mjs:app', { cwd: dir });
    expect(loaded.adapterName).toBe('node');
    expect(await answer(loaded)).toBe('thenable');
  });

  it('explains what is missing', async () => {
    expect((await loadError('nope.mjs')).message).toMatch(/Failed to find application module 'nope\.mjs'/);
    expect((await loadError('named.mjs:missing')).message).toBe(
      "Failed to find attribute 'missing' in 'named.mjs'; it exports: handler, nested, default.",
    );
    expect((await loadError('named.mjs')).message).toMatch(/'named\.mjs' is number 42, and no adapter can serve it/);
    expect((await loadError('not-an-app.mjs')).message).toMatch(/no adapter can serve it/);
    const crash = await loadError(join(import.meta.dirname, 'fixtures', 'crash-on-import.mjs'));
    expect(crash.message).toMatch(/Failed to import application module .*this module cannot be loaded/);
    expect((await loadError('named.mjs:handler()')).message).toMatch(/factory 'named\.mjs:handler\(\)' failed/);
  });
});
