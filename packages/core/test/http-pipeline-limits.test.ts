import { afterEach, describe, expect, it } from 'vitest';
import { get, type PipelineServer, rawRequest, startPipeline, statusOf } from './http-pipeline-helpers.js';

let current: PipelineServer | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

async function start(argv: readonly string[]): Promise<PipelineServer> {
  current = await startPipeline(argv);
  return current;
}

/** Sends `bytes`, expects `status` with Connection: close and no app call, then a good request still works. */
async function refused(server: PipelineServer, bytes: string, status: number): Promise<string> {
  const response = await rawRequest(server.port, bytes);
  expect(statusOf(response)).toBe(status);
  expect(response.toLowerCase()).toContain('connection: close');
  expect(server.seen).toHaveLength(0);
  const next = await rawRequest(server.port, get('/ok'));
  expect(statusOf(next)).toBe(200);
  expect(server.seen).toHaveLength(1);
  return response;
}

describe('worker HTTP pipeline: request limits', () => {
  it('refuses a request line over --limit-request-line with 400 and a gunicorn-style warning', async () => {
    const server = await start(['--limit-request-line', '40']);
    await refused(server, get(`/${'a'.repeat(60)}`), 400);
    expect(server.errors()).toMatch(/\[WARNING\] Invalid request from ip=127\.0\.0\.1: Request Line is too large/);
  });

  it('refuses more headers than --limit-request-fields with 431', async () => {
    const server = await start(['--limit-request-fields', '3']);
    await refused(server, get('/', ['A: 1', 'B: 2', 'C: 3', 'D: 4']), 431);
    expect(server.errors()).toContain('limit request headers fields');
  });

  it('refuses a header line over --limit-request-field_size with 431', async () => {
    const server = await start(['--limit-request-field_size', '50']);
    await refused(server, get('/', [`X-Big: ${'b'.repeat(80)}`]), 431);
  });

  it('answers 501 for an unknown transfer coding', async () => {
    const server = await start([]);
    const bytes = 'POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: bogus, chunked\r\n\r\n0\r\n\r\n';
    await refused(server, bytes, 501);
    expect(server.errors()).toContain("Unsupported transfer coding: 'bogus'");
  });

  it('refuses an HTTP/1 connection that claims HTTP/2.0 in its request line', async () => {
    const server = await start([]);
    // llhttp parses the version; only a real HTTP/2 session (Node's compatibility API) is HTTP/2 to tgun.
    await refused(server, 'GET / HTTP/2.0\r\nHost: t\r\n\r\n', 400);
  });

  it('answers 400 for a duplicate Host header', async () => {
    const server = await start([]);
    await refused(server, get('/', ['Host: other']), 400);
  });

  it('answers a malformed head (Node clientError) with 400 and logs it', async () => {
    const server = await start([]);
    await refused(server, 'G@T / HTTP/1.1\r\nHost: t\r\n\r\n', 400);
    expect(server.errors()).toMatch(/Invalid request from ip=127\.0\.0\.1: Parse Error/);
  });

  it('answers an oversized head with 431', async () => {
    const server = await start(['--limit-request-fields', '2', '--limit-request-field_size', '100']);
    await refused(server, get('/', [`X-A: ${'a'.repeat(2000)}`]), 431);
  });

  it('--keep-alive 0 closes the connection after each response', async () => {
    const server = await start(['--keep-alive', '0']);
    // No `Connection: close` from the client: the server must end the connection itself.
    const response = await rawRequest(server.port, 'GET / HTTP/1.1\r\nHost: t\r\n\r\n');
    expect(statusOf(response)).toBe(200);
    expect(response.toLowerCase()).toContain('connection: close');
  });

  it('cuts a slow client (slowloris) at the header timeout derived from --timeout', async () => {
    const server = await start(['--timeout', '1']);
    // Half a head, then silence: the server must answer 408 and close, or this never resolves.
    const response = await rawRequest(server.port, 'GET / HTTP/1.1\r\nHost: t\r\nX-Slow: 1\r\n');
    expect(statusOf(response)).toBe(408);
    expect(server.seen).toHaveLength(0);
  });
});
