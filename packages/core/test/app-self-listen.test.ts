/**
 * Apps that call listen() themselves, served unchanged: installSelfListen() redirects their first HTTP listen
 * to the inherited socket. In-process checks of the rewrite, then real Express, Koa, Fastify and raw http apps
 * that call listen(PORT) at import time, each in a child process holding only the inherited fd.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { installSelfListen, selfListenedApp } from '../src/app/self-listen.js';
import { bindOnly } from '../src/sockets/bind.js';
import { request } from '../src/testing/http.js';

const PACKAGES = resolve(fileURLToPath(import.meta.url), '../../..');
const SELF_LISTEN_DIST = pathToFileURL(join(PACKAGES, 'core/dist/app/self-listen.js')).href;

/** A TCP socket bound on 127.0.0.1, not listening: what a worker inherits. */
function bound(): { fd: number; url: string } {
  const handle = bindOnly({ host: '127.0.0.1', port: 0 });
  return { fd: handle.fd, url: `http://127.0.0.1:${handle.local?.port}` };
}

/** A port nothing listens on right now (the app is told to listen there; it must stay free). */
async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as { port: number };
  await new Promise((r) => probe.close(r));
  return port;
}

async function isFree(port: number): Promise<boolean> {
  const probe = createNetServer();
  return new Promise((resolvePort) => {
    probe.once('error', () => resolvePort(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolvePort(true)));
  });
}

const closeAll = (servers: (Server | NetServer)[]) =>
  Promise.all(servers.splice(0).map((s) => new Promise((r) => (s.listening ? s.close(r) : r(undefined)))));

describe('installSelfListen (in process)', () => {
  const servers: (Server | NetServer)[] = [];
  afterEach(() => closeAll(servers));

  it("redirects the first HTTP listen(port) to the fd and leaves the app's port unbound", async () => {
    const socket = bound();
    const port = await freePort();
    const captured: NetServer[] = [];
    using selfListen = installSelfListen({ fd: socket.fd, onServer: (s) => captured.push(s) });
    const server = createServer((_req, res) => res.end('served on the fd'));
    servers.push(server);
    let callbackRan = false;
    server.listen(port, '0.0.0.0', () => {
      callbackRan = true;
    });
    expect(selfListen.server).toBe(server);
    expect(captured).toEqual([server]);
    await selfListenedApp(server).listen?.({ fd: socket.fd, backlog: 511 });
    // The app's own listen callback still runs ('listening' is emitted on the next tick).
    await new Promise((r) => setImmediate(r));
    expect(callbackRan).toBe(true);
    expect((await request(socket.url, '/')).body).toBe('served on the fd');
    expect(await isFree(port)).toBe(true);
  });

  it('leaves later listens, fd listens and non-HTTP servers alone, and stops at dispose()', async () => {
    const socket = bound();
    const ignored: unknown[] = [];
    const selfListen = installSelfListen({ fd: socket.fd, onIgnored: (_s, opts) => ignored.push(opts) });
    const tcp = createNetServer();
    servers.push(tcp);
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    expect(selfListen.server).toBeNull();
    expect((tcp.address() as { port: number }).port).toBeGreaterThan(0);

    const other = bound();
    const own = createServer((_req, res) => res.end('tgun-owned'));
    servers.push(own);
    await new Promise<void>((r) => own.listen({ fd: other.fd }, r));
    expect(selfListen.server).toBeNull();

    const app = createServer((_req, res) => res.end('app'));
    const second = createServer((_req, res) => res.end('second'));
    servers.push(app, second);
    app.listen(0);
    await new Promise<void>((r) => second.listen(0, '127.0.0.1', r));
    expect(selfListen.server).toBe(app);
    expect(ignored).toEqual([{ port: 0, host: '127.0.0.1' }]);
    expect((second.address() as { port: number }).port).toBeGreaterThan(0);

    selfListen.dispose();
    const after = createServer();
    servers.push(after);
    await new Promise<void>((r) => after.listen(0, '127.0.0.1', r));
    expect((after.address() as { port: number }).port).toBeGreaterThan(0);
    expect(selfListen.server).toBe(app);
  });

  it('whenServer() waits for a later listen, resolves at once once captured, and can be aborted', async () => {
    const socket = bound();
    using selfListen = installSelfListen({ fd: socket.fd });
    const aborted = new AbortController();
    const abortedWait = selfListen.whenServer(aborted.signal);
    aborted.abort(new Error('gave up'));
    await expect(abortedWait).rejects.toThrow('gave up');
    const waiting = selfListen.whenServer();
    const server = createServer((_req, res) => res.end('late'));
    servers.push(server);
    setTimeout(() => server.listen(0), 10);
    expect(await waiting).toBe(server);
    expect(await selfListen.whenServer()).toBe(server);
  });

  it("takes close() and settings from the same app's adapter, and waits for a failing listen", async () => {
    const server = createServer();
    let closed = false;
    const app = selfListenedApp(server, {
      kind: 'listener',
      listener: () => {},
      close: async () => {
        closed = true;
      },
      settings: { keepAlive: 10 },
    });
    expect(app.settings).toEqual({ keepAlive: 10 });
    await app.close?.();
    expect(closed).toBe(true);
    const failing = selfListenedApp(server).listen?.({ fd: 0, backlog: 1 });
    server.emit('error', new Error('EBADF'));
    await expect(failing).rejects.toThrow('EBADF');
  });
});

/** A temp directory laid out like a user's project: app files plus node_modules links to real frameworks. */
function makeProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tgun-self-listen-'));
  const modules = join(dir, 'node_modules');
  mkdirSync(modules);
  const link = (pkg: string, from: string) => {
    const req = createRequire(join(PACKAGES, from, 'package.json'));
    symlinkSync(dirname(req.resolve(`${pkg}/package.json`)), join(modules, pkg), 'dir');
  };
  link('express', 'adapter-express');
  link('koa', 'adapter-koa');
  link('fastify', 'adapter-fastify');
  writeFileSync(
    join(dir, 'runner.mjs'),
    [
      `import { pathToFileURL } from 'node:url';`,
      `const { installSelfListen, selfListenedApp } = await import(${JSON.stringify(SELF_LISTEN_DIST)});`,
      `const ignored = [];`,
      `const selfListen = installSelfListen({ fd: 3, onIgnored: (s) => ignored.push(s.constructor.name) });`,
      `await import(pathToFileURL(process.argv[2]).href);`,
      `const server = await selfListen.whenServer();`,
      `selfListen.dispose();`,
      `await selfListenedApp(server).listen({ fd: 3, backlog: 511 });`,
      `process.on('SIGTERM', () => { server.closeAllConnections?.(); server.close(() => process.exit(0)); });`,
      `process.send({ ignored });`,
    ].join('\n'),
  );
  const apps: Record<string, string> = {
    'express.mjs': `import express from 'express';
const app = express();
app.get('/', (req, res) => res.send('express, unchanged'));
app.listen(Number(process.env.PORT), () => console.log('Example app listening on port ' + process.env.PORT));
export default app;`,
    'koa.mjs': `import Koa from 'koa';
const app = new Koa();
app.use(async (ctx) => { ctx.body = 'koa, unchanged'; });
app.listen(Number(process.env.PORT));`,
    'fastify.mjs': `import Fastify from 'fastify';
const app = Fastify();
app.get('/', async () => 'fastify, unchanged');
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });`,
    'raw.cjs': `const http = require('node:http');
const server = http.createServer((req, res) => res.end('raw http, unchanged'));
server.listen(process.env.PORT, '0.0.0.0', () => console.log('listening'));
// A second server (metrics) is left alone: it binds its own port.
http.createServer((req, res) => res.end('metrics')).listen(0, '127.0.0.1');`,
  };
  for (const [name, source] of Object.entries(apps)) writeFileSync(join(dir, name), `${source}\n`);
  return dir;
}

describe('installSelfListen with real apps calling listen(PORT) in a child process', () => {
  const project = makeProject();
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(project, { recursive: true, force: true });
  });

  it.each([
    ['express.mjs', 'express, unchanged', []],
    ['koa.mjs', 'koa, unchanged', []],
    ['fastify.mjs', 'fastify, unchanged', []],
    ['raw.cjs', 'raw http, unchanged', ['Server']],
  ])('%s serves on the inherited socket', async (file, body, ignored) => {
    const socket = bound();
    const port = await freePort();
    const child = spawn(process.execPath, [join(project, 'runner.mjs'), join(project, file)], {
      cwd: project,
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe', socket.fd, 'ipc'],
    });
    children.push(child);
    let output = '';
    child.stdout?.on('data', (c: Buffer) => {
      output += c;
    });
    child.stderr?.on('data', (c: Buffer) => {
      output += c;
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const ready = await Promise.race([
      new Promise<{ ignored: string[] }>((r) => child.once('message', (m) => r(m as { ignored: string[] }))),
      exited.then((code) => {
        throw new Error(`runner exited with ${code}:\n${output}`);
      }),
    ]);
    expect(ready.ignored).toEqual(ignored);
    const res = await request(socket.url, '/');
    expect(res.status).toBe(200);
    expect(res.body).toBe(body);
    expect(await isFree(port)).toBe(true);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(child.exitCode).toBe(0);
  });
});
