/**
 * The conformance suite every adapter runs. `defineConformanceSuite()` registers vitest tests that start a
 * fixture app on each target and check what users rely on: status, headers, cookies, streaming, large uploads,
 * body parsing, HEAD, 404/500, errors that leave the worker alive, `X-Forwarded-*` through the framework's
 * trust setting, keep-alive, a graceful drain with a request in flight, `close()` on stop, and (through tgun)
 * max-requests recycling.
 *
 * A fixture app, written once per framework, answers these routes:
 *
 * | Route | Answer |
 * |---|---|
 * | `GET /` | 200 `ok` |
 * | `GET /hello` | 200 `text/plain` `hello world` |
 * | `GET /status/:code` | that status, body `status N` (none for 204) |
 * | `GET /headers` | header `x-conformance: yes`, JSON `{ echo }` with the request's `x-echo` header |
 * | `GET /cookies` | `Set-Cookie: a=1; Path=/; HttpOnly` and `b=2; Path=/`, JSON `{ cookie }` (request header) |
 * | `GET /stream` | 5 chunks `chunk 0\n`…`chunk 4\n`, written over time, no Content-Length |
 * | `POST /upload` | JSON `{ bytes, sha256 }` of the raw body |
 * | `POST /json` | JSON `{ received }`: the body parsed by the framework |
 * | `GET /error` | throws synchronously (500) |
 * | `GET /async-error` | rejects after a tick (500) |
 * | `GET /forwarded` | JSON `{ ip, protocol }` as the framework sees them, trusting loopback proxies |
 * | `GET /slow?ms=N` | appends `slow <pid>` to `$TGUN_CONFORMANCE_MARKER`, answers `slow done` after N ms |
 * | `GET /pid` | the serving process's pid |
 *
 * and appends `closed <pid>` to `$TGUN_CONFORMANCE_MARKER` when tgun closes it (the adapter's `close()`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepAliveAgent, send } from './client.js';
import type { AppSpec, RunningServer, Target } from './targets/target.js';

/** What a fixture app supports beyond the routes every fixture answers. */
export interface Features {
  /** `/forwarded` reflects trusted `X-Forwarded-For`/`-Proto` (frameworks with a trust setting). */
  readonly forwarded?: boolean;
  /** The adapter runs a close hook the fixture registered. */
  readonly close?: boolean;
}

/** What {@link defineConformanceSuite} is given. */
export interface ConformanceOptions {
  /** Shown in test names: `express 5`, `koa 2`… */
  readonly name: string;
  readonly app: AppSpec;
  readonly features?: Features;
  readonly targets: readonly Target[];
}

function markerLines(path: string, word: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith(`${word} `));
}

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const bootCount = (server: RunningServer) => (server.logs().match(/Booting worker/g) ?? []).length;

function defineHttpTests(get: () => RunningServer, target: Target, features: Features): void {
  const url = () => get().url;

  it('answers 200 with the body and content type', async () => {
    const res = await send(url(), '/hello');
    expect(res.status).toBe(200);
    expect(res.text).toBe('hello world');
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
  });

  it('answers the status codes the app sets', async () => {
    for (const code of [201, 202, 204, 400, 418, 503]) {
      const res = await send(url(), `/status/${code}`);
      expect(res.status).toBe(code);
      expect(res.text).toBe(code === 204 ? '' : `status ${code}`);
    }
  });

  it('passes request headers in and response headers out', async () => {
    const res = await send(url(), '/headers', { headers: { 'x-echo': 'ping-42' } });
    expect(res.headers['x-conformance']).toBe('yes');
    expect(JSON.parse(res.text)).toEqual({ echo: 'ping-42' });
  });

  it('keeps every Set-Cookie header and passes cookies in', async () => {
    const res = await send(url(), '/cookies', { headers: { cookie: 'x=1; y=two' } });
    const cookies = res.headers['set-cookie'] ?? [];
    expect(cookies).toHaveLength(2);
    expect(cookies[0]).toMatch(/^a=1; Path=\/; HttpOnly$/i);
    expect(cookies[1]).toMatch(/^b=2; Path=\/$/i);
    expect(JSON.parse(res.text)).toEqual({ cookie: 'x=1; y=two' });
  });

  it('streams a chunked body', async () => {
    const res = await send(url(), '/stream');
    expect(res.status).toBe(200);
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.text).toBe([0, 1, 2, 3, 4].map((i) => `chunk ${i}\n`).join(''));
  });

  it('receives a large upload intact', async () => {
    const body = randomBytes(8 * 1024 * 1024);
    const sha256 = createHash('sha256').update(body).digest('hex');
    const res = await send(url(), '/upload', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ bytes: body.length, sha256 });
  });

  it('receives a chunked upload intact', async () => {
    const body = Buffer.from('x'.repeat(100_000));
    const res = await send(url(), '/upload', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
    });
    expect(JSON.parse(res.text)).toEqual({
      bytes: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
    });
  });

  it('lets the framework parse a JSON body', async () => {
    const payload = { name: 'tgun', list: [1, 2, 3], nested: { ok: true } };
    const res = await send(url(), '/json', {
      method: 'POST',
      body: JSON.stringify(payload),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ received: payload });
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const got = await send(url(), '/hello');
    const head = await send(url(), '/hello', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers['content-type']).toBe(got.headers['content-type']);
    if (head.headers['content-length'] !== undefined) expect(head.headers['content-length']).toBe('11');
  });

  it('answers 404 for an unknown path', async () => {
    const res = await send(url(), '/no/such/path');
    expect(res.status).toBe(404);
  });

  it('turns thrown and rejected errors into 500 and keeps serving', async () => {
    const boots = bootCount(get());
    for (const path of ['/error', '/async-error', '/error', '/async-error']) {
      const res = await send(url(), path);
      expect(res.status).toBe(500);
    }
    expect((await send(url(), '/hello')).status).toBe(200);
    // No worker died and was replaced because of them.
    expect(bootCount(get())).toBe(boots);
  });

  it('reuses a keep-alive connection', async () => {
    const agent = keepAliveAgent();
    try {
      const first = await send(url(), '/hello', { agent });
      const second = await send(url(), '/hello', { agent });
      expect(first.headers.connection).not.toBe('close');
      expect(second.socketId).toBe(first.socketId);
    } finally {
      agent.destroy();
    }
  });

  // A unix-socket peer has no address for a framework to trust.
  it.runIf(Boolean(features.forwarded) && target.socket === 'tcp')(
    'reads X-Forwarded-* from a trusted proxy',
    async () => {
      const res = await send(url(), '/forwarded', {
        headers: { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' },
      });
      expect(JSON.parse(res.text)).toEqual({ ip: '203.0.113.7', protocol: 'https' });
    },
  );
}

function defineLifecycleTests(target: Target, options: ConformanceOptions): void {
  const features = options.features ?? {};
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tgun-conformance-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('drains gracefully: an in-flight request completes after stop, then close() runs', async () => {
    const marker = join(dir, `drain-${Date.now()}`);
    const server = await target.start(options.app, { env: { TGUN_CONFORMANCE_MARKER: marker } });
    try {
      const inFlight = send(server.url, '/slow?ms=1500');
      await until('the slow request to arrive', () => markerLines(marker, 'slow').length === 1);
      await server.stop();
      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(res.text).toBe('slow done');
      // The worker that served the request had booted, so it must have run close(); a worker still booting
      // when the stop came never finished loading the app and has nothing to close.
      const served = markerLines(marker, 'slow')[0]?.split(' ')[1];
      if (features.close && target.adapters)
        expect(markerLines(marker, 'closed'), server.logs()).toContain(`closed ${served}`);
    } finally {
      await server.stop().catch(() => {});
    }
  });

  it.runIf(target.recycles)('recycles workers after max-requests', async () => {
    const server = await target.start(options.app, { maxRequests: 2 });
    try {
      const pids = new Set<string>();
      for (let i = 0; i < 8; i++) {
        const res = await send(server.url, '/pid');
        expect(res.status).toBe(200);
        pids.add(res.text);
      }
      // 8 requests, at most 2 per worker life: at least 4 processes answered.
      expect(pids.size).toBeGreaterThanOrEqual(4);
    } finally {
      await server.stop();
    }
  });
}

/** Registers the suite for `options.app` on every target (targets that cannot run here are skipped, saying why). */
export function defineConformanceSuite(options: ConformanceOptions): void {
  for (const target of options.targets) {
    const why = target.unavailable();
    describe.skipIf(why !== null)(`${options.name} via ${target.name}${why ? ` (skipped: ${why})` : ''}`, () => {
      let server: RunningServer | undefined;
      let dir = '';
      beforeAll(async () => {
        dir = mkdtempSync(join(tmpdir(), 'tgun-conformance-'));
        server = await target.start(options.app, { env: { TGUN_CONFORMANCE_MARKER: join(dir, 'marker') } });
      });
      afterAll(async () => {
        await server?.stop();
        rmSync(dir, { recursive: true, force: true });
      });
      const get = () => {
        if (!server) throw new Error('the server did not start');
        return server;
      };
      describe('HTTP', () => defineHttpTests(get, target, options.features ?? {}));
      describe('lifecycle', () => defineLifecycleTests(target, options));
    });
  }
}
