import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadWithFramework, send } from '@tgun/conformance';
import express5 from 'express';
import express4 from 'express4';
import { afterEach, describe, expect, it } from 'vitest';
import { trustToAllowIps } from '@tgun/core';
import { adapter, isExpressApp } from '../src/index.js';

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

describe.each([
  ['express 5', express5],
  ['express 4', express4],
] as const)('%s', (_name, express) => {
  it('detects an Express app, and not a router, a plain function or an object', () => {
    expect(adapter.detect(express())).toBe(true);
    expect(adapter.detect(express.Router())).toBe(false);
    expect(adapter.detect((_req: unknown, _res: unknown) => {})).toBe(false);
    expect(adapter.detect({ handle() {}, set() {}, settings: {} })).toBe(false);
    expect(adapter.detect(null)).toBe(false);
  });

  it('serves the app (HTTP/1.x requests reach it unchanged), with Express answering 404s', async () => {
    const app = express();
    app.get('/', (_req, res) => res.send('hi'));
    const served = await adapter.load(app, { appUri: 'app.js:app', appDir: '.' });
    if (served.kind !== 'listener') throw new Error('expected a listener app');
    const url = await listen(served.listener);
    expect((await send(url, '/')).text).toBe('hi');
    expect((await send(url, '/missing')).status).toBe(404);
  });

  it.each([
    [true, ['*']],
    [2, ['*']],
    ['loopback', ['127.0.0.1/8', '::1/128']],
    ['loopback, 10.0.0.1', ['127.0.0.1/8', '::1/128', '10.0.0.1']],
    [
      ['uniquelocal', '203.0.113.0/24'],
      ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7', '203.0.113.0/24'],
    ],
    ['10.0.0.0/255.0.0.0', ['10.0.0.0/8']],
  ] as const)('maps trust proxy %j to forwardedAllowIps, accepted as the framework layer', async (trust, allow) => {
    const app = express();
    app.set('trust proxy', trust);
    const served = await adapter.load(app, { appUri: 'app.js:app', appDir: '.' });
    expect(served.settings).toEqual({ forwardedAllowIps: allow });
    const layer = await loadWithFramework('express', served.settings ?? {});
    expect(layer.values.forwardedAllowIps).toEqual(allow);
    expect(layer.sources.forwardedAllowIps).toBe('framework (express)');
  });

  it.each([false, 0, () => true])('supplies nothing for trust proxy %s', async (trust) => {
    const app = express();
    app.set('trust proxy', trust);
    expect((await adapter.load(app, { appUri: 'a:a', appDir: '.' })).settings).toEqual({});
  });

  it('runs the app close listeners on close(), awaiting them, and reports their failure', async () => {
    const app = express();
    const events: string[] = [];
    app.on('close', async () => {
      await new Promise((r) => setTimeout(r, 5));
      events.push('async');
    });
    app.on('close', () => {
      events.push('sync');
    });
    const served = await adapter.load(app, { appUri: 'a:a', appDir: '.' });
    await served.close?.();
    expect(events.sort()).toEqual(['async', 'sync']);
    app.on('close', () => {
      throw new Error('cleanup failed');
    });
    await expect(served.close?.()).rejects.toThrow('cleanup failed');
  });
});

describe('detection safety', () => {
  it('never reads app.router (Express 4 throws on it)', () => {
    const app = Object.assign((_req: unknown, _res: unknown) => {}, { handle() {}, set() {}, settings: {} });
    Object.defineProperty(app, 'router', {
      get() {
        throw new Error("'app.router' is deprecated!");
      },
    });
    expect(isExpressApp(app)).toBe(true);
  });

  it('the command line still overrides the framework layer', async () => {
    const layer = await loadWithFramework('express', { forwardedAllowIps: ['*'] }, [
      '--forwarded-allow-ips',
      '10.1.2.3',
    ]);
    expect(layer.values.forwardedAllowIps).toEqual(['10.1.2.3']);
    expect(layer.sources.forwardedAllowIps).toBe('command line');
  });

  it('maps trust values it cannot express to nothing rather than to something wrong', () => {
    expect(trustToAllowIps(undefined)).toBeUndefined();
    expect(trustToAllowIps(['10.0.0.1', 7])).toBeUndefined();
    expect(trustToAllowIps('10.0.0.0/33')).toBeUndefined();
    expect(trustToAllowIps('10.0.0.0/255.0.255.0')).toBeUndefined();
    expect(trustToAllowIps(' , ')).toBeUndefined();
  });
});
