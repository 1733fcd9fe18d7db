import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { send } from '@tgun/conformance';
import { Hono } from 'hono';
import { AutoRouter } from 'itty-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { adapter, type FetchEnv } from '../src/index.js';

const ctx = { appUri: 'app.js:app', appDir: '.' };
const servers: Server[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(app: unknown): Promise<string> {
  const served = await adapter.load(app, ctx);
  if (served.kind !== 'listener') throw new Error('expected a listener app');
  const server = createServer(served.listener);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('fetch adapter', () => {
  it('detects objects with fetch(), and leaves functions that also have .fetch to the node adapter', () => {
    expect(adapter.detect(new Hono())).toBe(true);
    expect(adapter.detect(AutoRouter())).toBe(true);
    expect(adapter.detect({ fetch: () => new Response('x') })).toBe(true);
    expect(adapter.detect(Object.assign(() => {}, { fetch: () => new Response('x') }))).toBe(false);
    expect(adapter.detect({ fetch: 'no' })).toBe(false);
  });

  it("keeps Node's own global Request and Response, and hands the app real Request objects", async () => {
    const before = { Request: globalThis.Request, Response: globalThis.Response };
    let isRequest = false;
    const url = await serve({
      fetch(request: Request) {
        isRequest = request instanceof Request;
        return new Response(`${request.method} ${new URL(request.url).pathname}`);
      },
    });
    expect((await send(url, '/a/b?c=1')).text).toBe('GET /a/b');
    expect(isRequest).toBe(true);
    expect(globalThis.Request).toBe(before.Request);
    expect(globalThis.Response).toBe(before.Response);
    expect(globalThis.Request.name).toBe('Request');
  });

  it('passes { incoming, outgoing } as the second argument, so connection info is available', async () => {
    const url = await serve({
      fetch(_request: Request, env: FetchEnv) {
        return Response.json({ remote: env.incoming.socket.remoteAddress, hasOutgoing: Boolean(env.outgoing) });
      },
    });
    expect(JSON.parse((await send(url, '/')).text)).toEqual({ remote: '127.0.0.1', hasOutgoing: true });
  });

  it('calls fetch with the app as this (plain objects and classes rely on it)', async () => {
    const app = {
      greeting: 'from this',
      fetch(this: { greeting: string }) {
        return new Response(this.greeting);
      },
    };
    expect((await send(await serve(app), '/')).text).toBe('from this');
  });

  it('answers 500 for a throw or a rejection, logs it, and keeps serving', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const url = await serve({
      fetch(request: Request) {
        const path = new URL(request.url).pathname;
        if (path === '/sync') throw new Error('sync boom');
        if (path === '/async') return Promise.reject(new Error('async boom'));
        return new Response('fine');
      },
    });
    expect((await send(url, '/sync')).status).toBe(500);
    expect((await send(url, '/async')).status).toBe(500);
    expect((await send(url, '/ok')).text).toBe('fine');
    expect(logged.mock.calls.map((c) => String(c[0]))).toEqual([
      'Error handling GET /sync:',
      'Error handling GET /async:',
    ]);
  });

  it('declares no framework settings (fetch apps have none)', async () => {
    expect((await adapter.load(new Hono(), ctx)).settings).toBeUndefined();
  });
});
