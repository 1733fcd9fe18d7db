import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bindSocket, loadWithFramework, send } from '@tgun/conformance';
import type { ServerApp } from '@tgun/core';
import fastify5 from 'fastify';
import fastify4 from 'fastify4';
import { afterAll, describe, expect, it } from 'vitest';
import { adapter, isFastifyApp } from '../src/index.js';

const ctx = { appUri: 'app.js:app', appDir: '.' };
const dir = mkdtempSync(join(tmpdir(), 'tgun-fastify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function load(app: unknown): Promise<ServerApp> {
  const served = await adapter.load(app, ctx);
  if (served.kind !== 'server') throw new Error('expected a server app');
  return served;
}

describe.each([
  ['fastify 5', fastify5 as unknown as typeof fastify4],
  ['fastify 4', fastify4],
] as const)('%s', (name, Fastify) => {
  it('detects an instance without awaiting it (an instance is a thenable)', () => {
    let thenReads = 0;
    const app = new Proxy(Fastify(), {
      get(target, prop, receiver) {
        if (prop === 'then') thenReads++;
        return Reflect.get(target, prop, receiver);
      },
    });
    expect(adapter.detect(app)).toBe(true);
    expect(thenReads).toBe(0);
    expect(adapter.detect({ routing() {}, ready() {}, addHook() {}, server: {} })).toBe(false);
    expect(isFastifyApp(() => {})).toBe(false);
  });

  it('serves on TCP with its own server: keep-alive, onListen and addresses() intact', async () => {
    const app = Fastify({ keepAliveTimeout: 65_000 });
    let listened = false;
    if (name === 'fastify 5') {
      app.addHook('onListen', async () => {
        listened = true;
      });
    }
    app.get('/', async () => ({ hello: 'world' }));
    const served = await load(app);
    expect(served.server).toBe(app.server);
    await served.ready?.();
    const socket = bindSocket();
    await served.listen?.({ fd: socket.fd, host: '127.0.0.1', backlog: 511 });
    try {
      const res = await send(socket.url, '/');
      expect(JSON.parse(res.text)).toEqual({ hello: 'world' });
      expect(app.server.keepAliveTimeout).toBe(65_000);
      expect(app.addresses().length).toBeGreaterThan(0);
      if (name === 'fastify 5') expect(listened).toBe(true);
    } finally {
      await served.close?.();
    }
    expect(app.server.listening).toBe(false);
  });

  it('serves on a unix-socket fd, where app.listen() would crash on a null address', async () => {
    const app = Fastify();
    app.get('/', async () => 'over unix');
    const served = await load(app);
    const socket = bindSocket(join(dir, `${name.replace(' ', '')}.sock`));
    await served.listen?.({ fd: socket.fd, backlog: 511 });
    try {
      expect((await send(socket.url, '/')).text).toBe('over unix');
    } finally {
      await served.close?.();
    }
  });

  it('runs onClose hooks on close(), even after the server was already closed by the drain', async () => {
    const app = Fastify();
    let closed = 0;
    app.addHook('onClose', async () => void closed++);
    const served = await load(app);
    const socket = bindSocket();
    await served.listen?.({ fd: socket.fd, host: '127.0.0.1', backlog: 511 });
    await new Promise((r) => app.server.close(r));
    await served.close?.();
    expect(closed).toBe(1);
  });

  it('reports a failing plugin from ready() instead of crashing on the first request', async () => {
    const app = Fastify();
    app.register(async () => {
      throw new Error('plugin failed');
    });
    const served = await load(app);
    await expect(served.ready?.()).rejects.toThrow('plugin failed');
  });

  it.each([
    [{}, { keepAlive: 72 }],
    [
      { keepAliveTimeout: 65_000, trustProxy: true },
      { keepAlive: 65, forwardedAllowIps: ['*'] },
    ],
    [{ trustProxy: '10.0.0.0/8,127.0.0.1' }, { keepAlive: 72, forwardedAllowIps: ['10.0.0.0/8', '127.0.0.1'] }],
    [{ trustProxy: ['loopback'] }, { keepAlive: 72, forwardedAllowIps: ['127.0.0.1/8', '::1/128'] }],
    [{ trustProxy: 1 }, { keepAlive: 72, forwardedAllowIps: ['*'] }],
    [{ trustProxy: () => true, keepAliveTimeout: 10_000 }, { keepAlive: 10 }],
  ])('maps the options %j to the framework layer', async (options, expected) => {
    const served = await load(Fastify(options));
    expect(served.settings).toEqual(expected);
    const layer = await loadWithFramework('fastify', served.settings ?? {});
    expect(layer.values).toEqual(expected);
    for (const source of Object.values(layer.sources)) expect(source).toBe('framework (fastify)');
  });
});
