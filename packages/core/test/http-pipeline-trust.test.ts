import { afterEach, describe, expect, it } from 'vitest';
import { get, type PipelineServer, rawRequest, startPipeline, statusOf } from './http-pipeline-helpers.js';

let current: PipelineServer | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

interface Echo {
  headers: Record<string, string>;
  raw: string[];
}

async function echo(server: PipelineServer, extra: readonly string[]): Promise<Echo> {
  const response = await rawRequest(server.port, get('/', extra));
  expect(statusOf(response)).toBe(200);
  return JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as Echo;
}

const FORWARDING = [
  'X-Forwarded-For: 203.0.113.9',
  'X-Forwarded-Proto: https',
  'X-Forwarded-Host: evil.example',
  'Forwarded: for=203.0.113.9;proto=https',
  'X-Forwarded-Ssl: on',
];

describe('worker HTTP pipeline: proxy trust and header names', () => {
  it('strips forwarding headers sent by an untrusted peer from headers and rawHeaders', async () => {
    current = await startPipeline(['--forwarded-allow-ips', '10.9.9.9']);
    const seen = await echo(current, [...FORWARDING, 'X-Other: kept']);
    for (const name of ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'forwarded', 'x-forwarded-ssl']) {
      expect(seen.headers[name]).toBeUndefined();
    }
    expect(seen.raw.map((h) => h.toLowerCase())).not.toContain('x-forwarded-for');
    expect(seen.headers['x-other']).toBe('kept');
  });

  it('keeps forwarding headers from a trusted peer (loopback is trusted by default)', async () => {
    current = await startPipeline([]);
    const seen = await echo(current, FORWARDING);
    expect(seen.headers['x-forwarded-for']).toBe('203.0.113.9');
    expect(seen.headers['x-forwarded-proto']).toBe('https');
    expect(seen.headers.forwarded).toBe('for=203.0.113.9;proto=https');
  });

  it('answers 400 to contradictory scheme headers from a trusted peer', async () => {
    current = await startPipeline([]);
    const response = await rawRequest(current.port, get('/', ['X-Forwarded-Proto: https', 'X-Forwarded-Ssl: off']));
    expect(statusOf(response)).toBe(400);
    expect(current.seen).toHaveLength(0);
    expect(current.errors()).toContain('Contradictory scheme headers');
  });

  it('drops header names with an underscore by default, keeps forwarderHeaders from trusted peers', async () => {
    current = await startPipeline([]);
    const seen = await echo(current, ['X_Forwarded_For: 6.6.6.6', 'SCRIPT_NAME: /app', 'X-Fine: 1']);
    expect(seen.headers.x_forwarded_for).toBeUndefined();
    expect(seen.raw).not.toContain('X_Forwarded_For');
    expect(seen.headers.script_name).toBe('/app');
    expect(seen.headers['x-fine']).toBe('1');
  });

  it('drops even forwarderHeaders from an untrusted peer', async () => {
    current = await startPipeline(['--forwarded-allow-ips', '10.9.9.9']);
    const seen = await echo(current, ['SCRIPT_NAME: /app']);
    expect(seen.headers.script_name).toBeUndefined();
  });

  it('--header-map refuse answers 400; dangerous passes the header through', async () => {
    current = await startPipeline(['--header-map', 'refuse']);
    const response = await rawRequest(current.port, get('/', ['X_Bad: 1']));
    expect(statusOf(response)).toBe(400);
    expect(current.seen).toHaveLength(0);
    await current.close();
    current = await startPipeline(['--header-map', 'dangerous']);
    const seen = await echo(current, ['X_Bad: 1']);
    expect(seen.headers.x_bad).toBe('1');
  });
});
