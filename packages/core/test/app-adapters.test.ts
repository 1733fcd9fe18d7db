/**
 * Choosing the adapter for an app: detection over the adapter packages installed next to the app, explicit
 * `--adapter`, core's built-in fallback, and every error a user can hit. Apps are built with the real
 * frameworks; adapters are the real workspace packages (built), linked into temp projects the way npm
 * installs them.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Adapter } from '../src/adapter.js';
import { BUILTIN_NODE, describeShape, missingExportMessage, resolveAdapter } from '../src/app/adapters.js';
import { TgunError } from '../src/errors.js';

const PACKAGES = resolve(fileURLToPath(import.meta.url), '../../..');
const ADAPTERS = ['express', 'koa', 'fastify', 'node', 'fetch'];

/** The framework `pkg` as its adapter package's tests install it. */
async function framework(pkg: string, from: string): Promise<Record<string, unknown>> {
  const file = createRequire(join(PACKAGES, from, 'package.json')).resolve(pkg);
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}
const def = <T>(ns: Record<string, unknown>): T => (ns.default ?? ns) as T;

type Factory = (...args: unknown[]) => unknown;
const express5 = def<Factory>(await framework('express', 'adapter-express'));
const express4 = def<Factory>(await framework('express4', 'adapter-express'));
const Koa = def<new (opts?: object) => object>(await framework('koa', 'adapter-koa'));
const fastify = def<Factory>(await framework('fastify', 'adapter-fastify'));
const honoNs = await framework('hono', 'adapter-fetch');
const Hono = (honoNs.Hono ?? def<Record<string, unknown>>(honoNs).Hono) as new () => object;

function writePackage(dir: string, name: string, source: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, type: 'module', exports: './index.js' }));
  writeFileSync(join(dir, 'index.js'), source);
}

/** A user's project: an app directory whose node_modules holds the given adapters and test packages. */
function project(adapters: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'tgun-adapters-'));
  mkdirSync(join(dir, 'node_modules', '@tgun'), { recursive: true });
  for (const name of adapters) {
    symlinkSync(join(PACKAGES, `adapter-${name}`), join(dir, 'node_modules', '@tgun', `adapter-${name}`), 'dir');
  }
  writePackage(
    join(dir, 'node_modules', 'my-adapter'),
    'my-adapter',
    `export const adapter = { name: 'mine', detect: (app) => app?.mine === true, load: () => ({ kind: 'listener', listener: (q, r) => r.end('mine') }) };\n`,
  );
  writePackage(
    join(dir, 'node_modules', 'not-an-adapter'),
    'not-an-adapter',
    'export const foo = 1;\nexport const bar = 2;\n',
  );
  writePackage(join(dir, 'node_modules', 'broken-adapter'), 'broken-adapter', "throw new Error('kaboom');\n");
  return dir;
}

const full = project(ADAPTERS);
const bare = project([]);
afterAll(() => {
  rmSync(full, { recursive: true, force: true });
  rmSync(bare, { recursive: true, force: true });
});

const auto = (app: unknown, appDir = full) => resolveAdapter(app, { adapter: 'auto', appDir, appUri: 'app.js:app' });
const explicit = (adapter: string, app: unknown, appDir = full) =>
  resolveAdapter(app, { adapter, appDir, appUri: 'app.js:app' });

async function failure(promise: Promise<Adapter>): Promise<TgunError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TgunError);
  expect((err as TgunError).code).toBe('TGUN_ERR_APP_LOAD');
  return err as TgunError;
}

describe('detection over the installed adapter packages', () => {
  const fetchFunction = Object.assign((_req: unknown, res: { end(b: string): void }) => res.end('x'), {
    fetch: () => new Response('x'),
  });
  it.each([
    ['an Express 5 app', () => express5(), 'express', 'listener'],
    ['an Express 4 app', () => express4(), 'express', 'listener'],
    ['a Koa app', () => new Koa(), 'koa', 'listener'],
    ['a Fastify instance', () => fastify(), 'fastify', 'server'],
    ['a Hono app', () => new Hono(), 'fetch', 'listener'],
    ['an object with fetch()', () => ({ fetch: () => new Response('x') }), 'fetch', 'listener'],
    ['a function that also has .fetch', () => fetchFunction, 'node', 'listener'],
    ['a (req, res) function', () => (_req: unknown, _res: unknown) => {}, 'node', 'listener'],
    ['an http.Server', () => createServer(), 'node', 'server'],
  ])('%s → the %s adapter package', async (_what, make, name, kind) => {
    const app = make();
    const adapter = await auto(app);
    expect(adapter.name).toBe(name);
    expect(adapter).not.toBe(BUILTIN_NODE);
    const served = await adapter.load(app, { appUri: 'app.js:app', appDir: full });
    expect(served.kind).toBe(kind);
    if (name === 'fastify') await (app as { close(): Promise<void> }).close();
  });

  it('classifies a Fastify instance without awaiting it (it is a thenable)', async () => {
    let thenReads = 0;
    const app = new Proxy(fastify() as object, {
      get(target, prop, receiver) {
        if (prop === 'then') thenReads++;
        return Reflect.get(target, prop, receiver);
      },
    });
    expect((await auto(app)).name).toBe('fastify');
    expect(thenReads).toBe(0);
  });
});

describe("core's built-in handling when no adapter package is installed", () => {
  it('serves (req, res) functions and servers itself, Express apps included', async () => {
    expect(await auto((_req: unknown, _res: unknown) => {}, bare)).toBe(BUILTIN_NODE);
    expect(await auto(createServer(), bare)).toBe(BUILTIN_NODE);
    expect(await auto(express5(), bare)).toBe(BUILTIN_NODE);
  });

  it.each([
    ['a Koa app', () => new Koa(), 'an object (Application)', '@tgun/adapter-koa'],
    ['a Fastify instance', () => fastify(), 'an object (Object), a thenable,', '@tgun/adapter-fastify'],
    ['a Hono app', () => new Hono(), 'an object (Hono)', '@tgun/adapter-fetch'],
  ])('names %s, the adapters tried and the package to install', async (_what, make, shape, pkg) => {
    const err = await failure(auto(make(), bare));
    expect(err.message).toContain(`'app.js:app' is ${shape}`);
    expect(err.message).toContain(
      'Tried: @tgun/adapter-fastify (not installed), @tgun/adapter-koa (not installed), @tgun/adapter-express (not installed), @tgun/adapter-node (not installed), @tgun/adapter-fetch (not installed), ' +
        "tgun's built-in (req, res) and http.Server handling.",
    );
    expect(err.message).toContain(`install its adapter next to the app: npm i ${pkg}`);
  });

  it('reports an installed adapter package that fails to load, and carries on with the others', async () => {
    const dir = project(['express']);
    try {
      writePackage(
        join(dir, 'node_modules', '@tgun', 'adapter-koa'),
        '@tgun/adapter-koa',
        "throw new Error('kaboom');\n",
      );
      const err = await failure(auto(new Koa(), dir));
      expect(err.message).toContain('@tgun/adapter-koa failed to load: kaboom, @tgun/adapter-express, ');
      expect((await auto(express5(), dir)).name).toBe('express');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('describes an unknown shape and says what tgun serves', async () => {
    const err = await failure(auto({ port: 3000, routes: [] }));
    expect(err.message).toContain(
      "'app.js:app' is an object (Object) with keys port, routes, and no adapter can serve it.",
    );
    expect(err.message).toContain(
      'Tried: @tgun/adapter-fastify, @tgun/adapter-koa, @tgun/adapter-express, @tgun/adapter-node, @tgun/adapter-fetch',
    );
    expect(err.message).toContain('tgun serves Express, Koa and Fastify apps, fetch apps');
    expect((await failure(auto(42))).message).toContain("'app.js:app' is number 42");
    expect((await failure(auto(undefined))).message).toContain("'app.js:app' is undefined");
  });

  it('says how to serve a NestJS app or a server-owning app it has no adapter for', async () => {
    const nest = { init() {}, getHttpServer() {}, getHttpAdapter() {} };
    expect((await failure(auto(nest))).message).toContain('It looks like a NestJS app');
    const restifyLike = { server: createServer(), router: {}, use() {} };
    expect((await failure(auto(restifyLike))).message).toContain('export that server instead (app.server)');
  });
});

describe('--adapter NAME', () => {
  it('uses the named adapter package', async () => {
    expect((await explicit('koa', new Koa())).name).toBe('koa');
    expect((await explicit('express', express4())).name).toBe('express');
  });

  it('refuses an app the named adapter does not serve, suggesting the right one', async () => {
    const err = await failure(explicit('koa', express5()));
    expect(err.message).toContain("--adapter koa: 'app.js:app' is a function (app) with members");
    expect(err.message).toContain(
      'which @tgun/adapter-koa does not serve. It looks like an Express app: use --adapter express',
    );
  });

  it('names the package to install when the adapter is missing; node falls back to the built-in', async () => {
    const err = await failure(explicit('fastify', fastify(), bare));
    expect(err.message).toBe(
      `--adapter fastify needs the package @tgun/adapter-fastify, which is not installed for ${bare}: npm i @tgun/adapter-fastify`,
    );
    expect(await explicit('node', (_req: unknown, _res: unknown) => {}, bare)).toBe(BUILTIN_NODE);
  });

  it('loads a third-party adapter package, and explains a package that is not one', async () => {
    const mine = await explicit('my-adapter', { mine: true });
    expect(mine.name).toBe('mine');
    expect((await failure(explicit('not-an-adapter', {}))).message).toBe(
      '--adapter not-an-adapter: not-an-adapter does not export a tgun Adapter ({ name, detect, load }); it exports bar, foo.',
    );
    expect((await failure(explicit('broken-adapter', {}))).message).toBe(
      '--adapter broken-adapter: broken-adapter failed to load: kaboom.',
    );
    expect((await failure(explicit('no-such-adapter', {}))).message).toContain('npm i no-such-adapter');
  });
});

describe('messages', () => {
  it('lists the exports of a module that lacks the named one (ESM and CommonJS shapes)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tgun-exports-'));
    try {
      writeFileSync(
        join(dir, 'esm.mjs'),
        'export const app = 1;\nexport function createApp() {}\nexport default {};\n',
      );
      writeFileSync(join(dir, 'cjs.cjs'), 'module.exports = { server: 1, start() {} };\n');
      const esm = (await import(pathToFileURL(join(dir, 'esm.mjs')).href)) as Record<string, unknown>;
      const cjs = (await import(pathToFileURL(join(dir, 'cjs.cjs')).href)) as Record<string, unknown>;
      expect(missingExportMessage('esm.mjs', 'nope', esm)).toBe(
        "Failed to find attribute 'nope' in 'esm.mjs'; it exports: app, createApp.",
      );
      expect(missingExportMessage('cjs.cjs', 'app', cjs)).toBe(
        "Failed to find attribute 'app' in 'cjs.cjs'; it exports: server, start, default.server, default.start.",
      );
      expect(missingExportMessage('empty.mjs', 'app', {})).toBe(
        "Failed to find attribute 'app' in 'empty.mjs'; it exports: nothing.",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('describes shapes without calling or awaiting anything', () => {
    expect(describeShape(function handler(_a: unknown, _b: unknown) {})).toBe('a function (handler) of 2 parameters');
    expect(describeShape(Object.create(null))).toBe('an object (no prototype) with no own keys');
    expect(describeShape('app')).toBe('string "app"');
    expect(describeShape(10n)).toBe('bigint 10');
    // A thenable (a Fastify instance is one) is described, never awaited.
    const thenable = Object.defineProperty({ a: 1 }, 'then', { value: () => {}, enumerable: true });
    expect(describeShape(thenable)).toBe('an object (Object), a thenable, with keys a, then');
  });
});
