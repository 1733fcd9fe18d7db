import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer as createNetServer } from 'node:net';
import { bindSocket, loadWithFramework, send } from '@tgun/conformance';
import { describe, expect, it } from 'vitest';
import { adapter, isFactory } from '../src/index.js';

const ctx = { appUri: 'app.js:app', appDir: '.' };
const handler = (_req: unknown, res: { end(body: string): void }) => res.end('plain');

describe('node adapter', () => {
  it('detects functions and server instances, nothing else', () => {
    expect(adapter.detect(handler)).toBe(true);
    expect(adapter.detect(createHttpServer())).toBe(true);
    expect(adapter.detect(createHttpsServer())).toBe(true);
    expect(adapter.detect({ fetch() {} })).toBe(false);
    expect(adapter.detect('app')).toBe(false);
  });

  it('serves a (req, res) function as a listener and a server as itself', async () => {
    const listenerApp = await adapter.load(handler, ctx);
    expect(listenerApp).toMatchObject({ kind: 'listener', listener: handler });
    const server = createHttpServer(handler);
    expect(await adapter.load(server, ctx)).toMatchObject({ kind: 'server', server, settings: {} });
  });

  it('calls a zero-parameter factory, sync or async, and serves what it returns', async () => {
    const sync = await adapter.load(() => handler, ctx);
    expect(sync).toMatchObject({ kind: 'listener', listener: handler });
    const server = createHttpServer(handler);
    const viaAsync = await adapter.load(async () => server, ctx);
    expect(viaAsync).toMatchObject({ kind: 'server', server });
    await expect(adapter.load(() => 42, ctx)).rejects.toThrow(/what the factory returned is neither/);
  });

  it('tells factories from listeners and framework functions', () => {
    expect(isFactory(() => handler)).toBe(true);
    expect(isFactory(handler)).toBe(false);
    expect(isFactory(Object.assign(() => {}, { handle() {}, use() {} }))).toBe(false);
  });

  it("reports a server's own keep-alive as the framework layer, and nothing for Node's default", async () => {
    const server = createHttpServer(handler);
    expect((await adapter.load(server, ctx)).settings).toEqual({});
    server.keepAliveTimeout = 65_000;
    const served = await adapter.load(server, ctx);
    expect(served.settings).toEqual({ keepAlive: 65 });
    const layer = await loadWithFramework('node', served.settings ?? {});
    expect(layer).toEqual({ values: { keepAlive: 65 }, sources: { keepAlive: 'framework (node)' } });
    expect((await adapter.load(createNetServer(), ctx)).settings).toEqual({});
  });

  it('serves an exported server on an inherited fd with its upgrade listeners kept', async () => {
    const server = createHttpServer(handler);
    let upgrades = 0;
    server.on('upgrade', (_req, socket) => {
      upgrades++;
      socket.end('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\n');
    });
    const served = await adapter.load(server, ctx);
    if (served.kind !== 'server') throw new Error('expected a server app');
    const socket = bindSocket();
    await new Promise<void>((r) => served.server.listen({ fd: socket.fd }, r));
    try {
      expect((await send(socket.url, '/')).text).toBe('plain');
      const port = Number(new URL(socket.url).port);
      const answer = await new Promise<string>((resolve, reject) => {
        const conn = connect(port, '127.0.0.1', () => {
          conn.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\n');
        });
        let data = '';
        conn.on('data', (c) => {
          data += c;
        });
        conn.on('end', () => resolve(data));
        conn.on('error', reject);
      });
      expect(answer).toMatch(/^HTTP\/1.1 101 /);
      expect(upgrades).toBe(1);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
