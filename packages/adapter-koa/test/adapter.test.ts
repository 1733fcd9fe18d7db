import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadWithFramework, send } from '@tgun/conformance';
import Koa3 from 'koa';
import Koa2 from 'koa2';
import { afterEach, describe, expect, it } from 'vitest';
import { adapter } from '../src/index.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen(listener: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const ctx = { appUri: 'app.js:app', appDir: '.' };

describe.each([
  ['koa 3', Koa3],
  ['koa 2', Koa2],
] as const)('%s', (_name, Koa) => {
  it('detects a Koa application, and not look-alikes', () => {
    expect(adapter.detect(new Koa())).toBe(true);
    expect(adapter.detect({ callback() {}, middleware: {}, createContext() {} })).toBe(false);
    expect(adapter.detect(() => {})).toBe(false);
    expect(adapter.detect(undefined)).toBe(false);
  });

  it('composes the middleware only after loading, so middleware added late is served', async () => {
    const app = new Koa();
    const served = await adapter.load(app, ctx);
    // An app whose async factory is still adding middleware when the module finished: none may be lost.
    app.use(async (c) => {
      c.body = 'added after load';
    });
    await served.ready?.();
    if (served.kind !== 'listener') throw new Error('expected a listener app');
    const url = await listen(served.listener);
    expect((await send(url, '/')).text).toBe('added after load');
  });

  it('composes on the first request when ready() was never called', async () => {
    const app = new Koa();
    const served = await adapter.load(app, ctx);
    app.use(async (c) => {
      c.body = 'lazy';
    });
    if (served.kind !== 'listener') throw new Error('expected a listener app');
    const url = await listen(served.listener);
    expect((await send(url, '/')).text).toBe('lazy');
    expect((await send(url, '/')).text).toBe('lazy');
  });

  it('answers 500 for a throwing middleware and emits the app error event', async () => {
    const app = new Koa();
    const errors: string[] = [];
    app.on('error', (err: Error) => errors.push(err.message));
    app.use(async () => {
      throw new Error('boom');
    });
    const served = await adapter.load(app, ctx);
    if (served.kind !== 'listener') throw new Error('expected a listener app');
    const url = await listen(served.listener);
    expect((await send(url, '/')).status).toBe(500);
    expect(errors).toEqual(['boom']);
  });

  it('maps app.proxy to forwardedAllowIps, accepted as the framework layer', async () => {
    const trusting = await adapter.load(new Koa({ proxy: true }), ctx);
    expect(trusting.settings).toEqual({ forwardedAllowIps: ['*'] });
    const layer = await loadWithFramework('koa', trusting.settings ?? {});
    expect(layer.values.forwardedAllowIps).toEqual(['*']);
    expect(layer.sources.forwardedAllowIps).toBe('framework (koa)');
    expect((await adapter.load(new Koa(), ctx)).settings).toEqual({});
  });

  it('runs and awaits the app close listeners on close()', async () => {
    const app = new Koa();
    let closed = false;
    app.on('close', async () => {
      await new Promise((r) => setTimeout(r, 5));
      closed = true;
    });
    await (await adapter.load(app, ctx)).close?.();
    expect(closed).toBe(true);
  });
});
