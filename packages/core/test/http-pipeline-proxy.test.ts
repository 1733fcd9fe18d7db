import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { get, type PipelineServer, rawRequest, startPipeline, statusOf } from './http-pipeline-helpers.js';

let current: PipelineServer | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

function whoApp(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): void {
  res.end(`${req.socket.remoteAddress} ${req.socket.remotePort} ${req.headers['x-forwarded-for'] ?? '-'}`);
}

function body(response: string): string {
  return response.slice(response.indexOf('\r\n\r\n') + 4);
}

describe('worker HTTP pipeline: PROXY protocol', () => {
  it('shows the app the client address from a v1 header sent by an allowed proxy', async () => {
    current = await startPipeline(
      ['--proxy-protocol', 'v1', '--access-logfile', 'a.log', '--access-logformat', '%(h)s'],
      whoApp,
    );
    const response = await rawRequest(current.port, `PROXY TCP4 198.51.100.7 10.0.0.1 40000 443\r\n${get('/')}`);
    expect(statusOf(response)).toBe(200);
    expect(body(response)).toBe('198.51.100.7 40000 -');
    const log = join(current.dir, 'a.log');
    for (let i = 0; i < 100 && !existsSync(log); i++) await new Promise((r) => setTimeout(r, 10));
    expect(readFileSync(log, 'utf8')).toBe('198.51.100.7\n');
  });

  it('serves a connection without a header with the socket address', async () => {
    current = await startPipeline(['--proxy-protocol', 'auto'], whoApp);
    const response = await rawRequest(current.port, get('/'));
    expect(statusOf(response)).toBe(200);
    expect(body(response)).toMatch(/^127\.0\.0\.1 \d+ -$/);
  });

  it('refuses a header from a peer outside proxyAllowIps with 403, before the app', async () => {
    current = await startPipeline(['--proxy-protocol', 'v1', '--proxy-allow-from', '10.9.9.9'], whoApp);
    const response = await rawRequest(current.port, `PROXY TCP4 198.51.100.7 10.0.0.1 40000 443\r\n${get('/')}`);
    expect(statusOf(response)).toBe(403);
    expect(current.seen).toHaveLength(0);
    expect(current.errors()).toContain('Invalid PROXY header from ip=127.0.0.1');
  });

  it('answers a malformed v1 line with 400', async () => {
    current = await startPipeline(['--proxy-protocol', 'v1'], whoApp);
    const response = await rawRequest(current.port, `PROXY TCP4 not-an-ip 10.0.0.1 1 2\r\n${get('/')}`);
    expect(statusOf(response)).toBe(400);
    expect(current.seen).toHaveLength(0);
  });

  it('the proxied client is the peer forwardedAllowIps judges: its X-Forwarded-For is stripped', async () => {
    current = await startPipeline(['--proxy-protocol', 'v1'], whoApp);
    const bytes = `PROXY TCP4 198.51.100.7 10.0.0.1 40000 443\r\n${get('/', ['X-Forwarded-For: 1.2.3.4'])}`;
    expect(body(await rawRequest(current.port, bytes))).toBe('198.51.100.7 40000 -');
  });
});
