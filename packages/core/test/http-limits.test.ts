import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  applyServerLimits,
  checkRequest,
  clientErrorStatus,
  effectiveLimits,
  httpServerLimits,
  type LimitSettings,
} from '../src/http/limits.js';

const GUNICORN_DEFAULTS: LimitSettings = {
  limitRequestLine: 4094,
  limitRequestFields: 100,
  limitRequestFieldSize: 8190,
  keepAlive: 2,
  timeout: 30,
  workerConnections: 1000,
};

describe('httpServerLimits (pure mapping)', () => {
  it("maps gunicorn's defaults", () => {
    const r = httpServerLimits(GUNICORN_DEFAULTS);
    expect(r.limits).toEqual({ requestLine: 4094, fields: 100, fieldSize: 8190 });
    expect(r.serverOptions).toMatchObject({
      maxHeaderSize: 4094 + 2 + 100 * 8192 + 4,
      headersTimeout: 30_000,
      requestTimeout: 300_000,
      connectionsCheckingInterval: 3000,
      keepAliveTimeout: 2000,
      requireHostHeader: true,
      insecureHTTPParser: false,
    });
    expect(r.properties).toEqual({ maxHeadersCount: 101, maxRequestsPerSocket: 0, maxConnections: 1000 });
    expect(r.keepAlive).toBe(true);
  });

  it("applies gunicorn's clamping", () => {
    expect(effectiveLimits({ ...GUNICORN_DEFAULTS, limitRequestLine: 0 }).requestLine).toBe(Number.POSITIVE_INFINITY);
    expect(effectiveLimits({ ...GUNICORN_DEFAULTS, limitRequestLine: 20000 }).requestLine).toBe(8190);
    expect(effectiveLimits({ ...GUNICORN_DEFAULTS, limitRequestFields: 0 }).fields).toBe(32768);
    expect(effectiveLimits({ ...GUNICORN_DEFAULTS, limitRequestFields: 40000 }).fields).toBe(32768);
    expect(effectiveLimits({ ...GUNICORN_DEFAULTS, limitRequestFieldSize: -1 }).fieldSize).toBe(8190);
    const huge = httpServerLimits({ ...GUNICORN_DEFAULTS, limitRequestFields: 0, limitRequestLine: 0 });
    expect(huge.serverOptions.maxHeaderSize).toBe(1024 * 1024);
  });

  it('maps keepAlive 0 to "close after each response", never to Node\'s "no timeout"', () => {
    const r = httpServerLimits({ ...GUNICORN_DEFAULTS, keepAlive: 0 });
    expect(r.keepAlive).toBe(false);
    expect(r.properties.maxRequestsPerSocket).toBe(1);
    expect(r.serverOptions.keepAliveTimeout).toBeGreaterThan(0);
  });

  it('keeps a slow-client guard when timeout is 0 and orders the timeouts as Node requires', () => {
    expect(httpServerLimits({ ...GUNICORN_DEFAULTS, timeout: 0 }).serverOptions.headersTimeout).toBe(60_000);
    for (const timeout of [0, 0.5, 1, 30, 400, 3600]) {
      const { serverOptions } = httpServerLimits({ ...GUNICORN_DEFAULTS, timeout });
      expect(serverOptions.headersTimeout).toBeLessThanOrEqual(serverOptions.requestTimeout as number);
      expect(() => createServer(serverOptions).close()).not.toThrow();
    }
  });

  it('leaves maxConnections unset without workerConnections', () => {
    expect(httpServerLimits({ ...GUNICORN_DEFAULTS, workerConnections: 0 }).properties.maxConnections).toBeUndefined();
  });
});

describe('clientErrorStatus', () => {
  it('maps Node parser errors to statuses', () => {
    const e = (code: string) => Object.assign(new Error(code), { code });
    expect(clientErrorStatus(e('HPE_HEADER_OVERFLOW'))).toEqual({
      status: 431,
      reason: 'Request Header Fields Too Large',
    });
    expect(clientErrorStatus(e('ERR_HTTP_REQUEST_TIMEOUT'))).toEqual({ status: 408, reason: 'Request Timeout' });
    expect(clientErrorStatus(e('HPE_INVALID_METHOD'))).toEqual({ status: 400, reason: 'Bad Request' });
    expect(clientErrorStatus(e('ECONNRESET'))).toBeUndefined();
    expect(clientErrorStatus(new Error('no code'))).toBeUndefined();
  });
});

// A worker-shaped server: the mapped options, the per-request check before the app, clientError answered
// from the table, and every refusal recorded as the log line a worker would write.
interface Front {
  port: number;
  log: string[];
}
const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function front(settings: Partial<LimitSettings> = {}): Promise<Front> {
  const limits = httpServerLimits({ ...GUNICORN_DEFAULTS, ...settings });
  const log: string[] = [];
  const server = createServer(limits.serverOptions, (req, res) => {
    if (!limits.keepAlive) res.shouldKeepAlive = false;
    const rejection = checkRequest(limits.limits, req);
    if (rejection !== undefined) {
      log.push(`Invalid request: ${rejection.message}`);
      res.shouldKeepAlive = false;
      res.writeHead(rejection.status, { 'Content-Length': 0 });
      res.end();
      return;
    }
    res.end('app');
  });
  applyServerLimits(server, limits);
  server.on('clientError', (error: Error & { code?: string }, socket) => {
    const answer = clientErrorStatus(error);
    log.push(`clientError ${error.code}`);
    if (answer !== undefined && socket.writable) {
      socket.end(`HTTP/1.1 ${answer.status} ${answer.reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    } else socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return { port: (server.address() as { port: number }).port, log };
}

/** Sends raw bytes on a fresh connection; resolves everything received once the server closes it. */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    socket.setEncoding('latin1');
    socket.on('data', (d) => (text += d));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

const GOOD = 'GET /ok HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n';

async function expectStatus(f: Front, bytes: string, status: number): Promise<void> {
  const response = await raw(f.port, bytes);
  expect(response.split('\r\n')[0]).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
  expect(response).not.toContain('app');
  // The server keeps serving: a fresh connection gets the app.
  const next = await raw(f.port, GOOD);
  expect(next.startsWith('HTTP/1.1 200 OK')).toBe(true);
  expect(next.endsWith('app')).toBe(true);
}

describe("malformed requests Node's parser refuses with 400", () => {
  it.each([
    ['bad method', 'G@T / HTTP/1.1\r\nHost: t\r\n\r\n', 'HPE_INVALID_METHOD'],
    ['bad version', 'GET / HTTP/1.x\r\nHost: t\r\n\r\n', 'HPE_INVALID_VERSION'],
    ['space in header name', 'GET / HTTP/1.1\r\nHost: t\r\nBa d: x\r\n\r\n', 'HPE_INVALID_HEADER_TOKEN'],
    ['NUL in header value', 'GET / HTTP/1.1\r\nHost: t\r\nX: a\x00b\r\n\r\n', 'HPE_INVALID_HEADER_TOKEN'],
    [
      'CL + TE',
      'POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      'HPE_INVALID_TRANSFER_ENCODING',
    ],
    [
      'duplicate CL',
      'POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc',
      'HPE_UNEXPECTED_CONTENT_LENGTH',
    ],
    ['signed CL', 'POST / HTTP/1.1\r\nHost: t\r\nContent-Length: +3\r\n\r\nabc', 'HPE_INVALID_CONTENT_LENGTH'],
    ['bare LF', 'GET / HTTP/1.1\r\nHost: t\nX: y\r\n\r\n', 'HPE_CR_EXPECTED'],
    ['bare CR', 'GET / HTTP/1.1\rHost: t\r\n\r\n', 'HPE_'],
    ['obs-fold', 'GET / HTTP/1.1\r\nHost: t\r\nX: y\r\n z\r\n\r\n', 'HPE_INVALID_HEADER_TOKEN'],
    [
      'chunked twice',
      'POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n',
      'HPE_INVALID_TRANSFER_ENCODING',
    ],
    ['relative target', 'GET foo HTTP/1.1\r\nHost: t\r\n\r\n', 'HPE_INVALID_URL'],
  ])('%s', async (_name, bytes, code) => {
    const f = await front();
    await expectStatus(f, bytes, 400);
    expect(f.log[0]).toContain(`clientError ${code}`);
  });

  it('HTTP/1.1 without Host', async () => {
    await expectStatus(await front(), 'GET / HTTP/1.1\r\n\r\n', 400);
  });
});

describe('what checkRequest refuses before the app', () => {
  it.each([
    ['HTTP/2.0 request line', 'GET / HTTP/2.0\r\nHost: t\r\n\r\n', 400, "Invalid HTTP Version: 'HTTP/2.0'"],
    ['HTTP/0.9 request line', 'GET / HTTP/0.9\r\nHost: t\r\n\r\n', 400, 'Invalid HTTP Version'],
    ['duplicate Host', 'GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n', 400, "Invalid HTTP Header: 'HOST'"],
    [
      'duplicate Content-Type',
      'GET / HTTP/1.1\r\nHost: a\r\nContent-Type: a\r\nContent-Type: b\r\n\r\n',
      400,
      'CONTENT-TYPE',
    ],
    [
      'chunked on HTTP/1.0',
      'POST / HTTP/1.0\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      400,
      'TRANSFER-ENCODING',
    ],
    ['gzip without chunked', 'POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n', 400, 'TRANSFER-ENCODING'],
    [
      'unknown coding',
      'POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: foo, chunked\r\n\r\n0\r\n\r\n',
      501,
      "Unsupported transfer coding: 'foo'",
    ],
  ])('%s', async (_name, bytes, status, message) => {
    const f = await front();
    await expectStatus(f, bytes, status);
    expect(f.log[0]).toContain(message);
  });

  it('serves an allowed coding list ending in chunked', async () => {
    const f = await front();
    const body = 'POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n0\r\n\r\n';
    expect((await raw(f.port, body)).endsWith('app')).toBe(true);
  });

  it('limit_request_line: 400 over the limit, served at the limit', async () => {
    const f = await front({ limitRequestLine: 40 });
    const line = (n: number) => `GET /${'a'.repeat(n - 14)} HTTP/1.1`;
    expect(line(40)).toHaveLength(40);
    await expectStatus(f, `${line(41)}\r\nHost: t\r\n\r\n`, 400);
    expect(f.log).toEqual(['Invalid request: Request Line is too large (41 > 40)']);
    expect((await raw(f.port, `${line(40)}\r\nHost: t\r\nConnection: close\r\n\r\n`)).endsWith('app')).toBe(true);
  });

  it('limit_request_fields: 431 past the count (Node would drop the extras silently)', async () => {
    const f = await front({ limitRequestFields: 4 });
    const headers = (n: number) => Array.from({ length: n - 2 }, (_, i) => `X-${i}: v\r\n`).join('');
    await expectStatus(f, `GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n${headers(5)}\r\n`, 431);
    expect(f.log).toEqual(['Invalid request: limit request headers fields']);
    expect(
      (await raw(f.port, `GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n${headers(4)}\r\n`)).endsWith('app'),
    ).toBe(true);
  });

  it('limit_request_field_size: 431 for one long header line', async () => {
    const f = await front({ limitRequestFieldSize: 60 });
    await expectStatus(f, `GET / HTTP/1.1\r\nHost: t\r\nX-Long: ${'v'.repeat(60)}\r\n\r\n`, 431);
    expect(f.log).toEqual(['Invalid request: limit request headers fields size']);
  });

  it("a head over Node's maxHeaderSize gets 431 from the parser", async () => {
    const f = await front({ limitRequestLine: 100, limitRequestFields: 3, limitRequestFieldSize: 100 });
    const many = Array.from({ length: 10 }, (_, i) => `X-${i}: ${'v'.repeat(90)}\r\n`).join('');
    await expectStatus(f, `GET / HTTP/1.1\r\nHost: t\r\n${many}\r\n`, 431);
    expect(f.log[0]).toBe('clientError HPE_HEADER_OVERFLOW');
  });
});

describe('connection timing', () => {
  it('cuts off a client that never finishes its headers (slowloris) with 408', async () => {
    const f = await front({ timeout: 1 });
    const response = await raw(f.port, 'GET / HTTP/1.1\r\nHost: t\r\nX-Slow: ');
    expect(response.startsWith('HTTP/1.1 408 ')).toBe(true);
  });

  it('keepAlive 0 closes the connection after the response', async () => {
    const f = await front({ keepAlive: 0 });
    const response = await raw(f.port, 'GET / HTTP/1.1\r\nHost: t\r\n\r\n');
    expect(response).toMatch(/\r\nConnection: close\r\n/i);
    expect(response.endsWith('app')).toBe(true);
  });

  it('keepAlive N advertises N seconds and keeps the connection for a second request', async () => {
    const f = await front({ keepAlive: 3 });
    const two = 'GET /a HTTP/1.1\r\nHost: t\r\n\r\nGET /b HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n';
    const response = await raw(f.port, two);
    expect(response).toContain('Keep-Alive: timeout=3');
    expect(response.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
  });
});
