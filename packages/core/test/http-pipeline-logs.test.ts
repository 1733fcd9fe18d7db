import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isWorkerStatsSample } from '../src/control/stats.js';
import { isFromWorker } from '../src/ipc/messages.js';
import { createErrorLog } from '../src/logging/logger.js';
import { heartbeatMessage } from '../src/worker/heartbeat.js';
import { createPipeline } from '../src/worker/pipeline.js';
import { workerStats } from '../src/worker/request-stats.js';
import { reopenFiles } from '../src/worker/signals.js';
import { loadConfig } from '../src/config/load.js';
import { get, type PipelineServer, rawRequest, startPipeline, statusOf } from './http-pipeline-helpers.js';

let current: PipelineServer | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('worker HTTP pipeline: access log', () => {
  it('writes one line per response in accessLogFormat, including refused requests', async () => {
    current = await startPipeline([
      '--access-logfile',
      'access.log',
      '--access-logformat',
      '%(h)s "%(r)s" %(s)s %(b)s',
    ]);
    const path = join(current.dir, 'access.log');
    expect(statusOf(await rawRequest(current.port, get('/a?x=1')))).toBe(200);
    expect(statusOf(await rawRequest(current.port, get('/b', ['Host: dup'])))).toBe(400);
    await until(() => readFileSync(path, 'utf8').split('\n').length >= 3);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toMatch(/^127\.0\.0\.1 "GET \/a\?x=1 HTTP\/1\.1" 200 \d+$/);
    expect(lines[1]).toMatch(/^127\.0\.0\.1 "GET \/b HTTP\/1\.1" 400 /);
  });

  it("logs requests Node's parser rejects before the app: a malformed head and an oversized header", async () => {
    current = await startPipeline([
      '--access-logfile',
      'access.log',
      '--access-logformat',
      '%(h)s "%(r)s" %(s)s %(b)s',
    ]);
    const path = join(current.dir, 'access.log');
    // A space before the colon: llhttp rejects the head, so no ServerResponse ever exists.
    expect(statusOf(await rawRequest(current.port, 'GET /bad HTTP/1.1\r\nHost: x\r\nX-A : 1\r\n\r\n'))).toBe(400);
    expect(
      statusOf(await rawRequest(current.port, `GET /big HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)),
    ).toBe(431);
    // Garbage with no request line at all is logged with "-" in its place.
    expect(statusOf(await rawRequest(current.port, '\x01\x02\x03 nonsense\r\n\r\n'))).toBe(400);
    await until(() => existsSync(path) && readFileSync(path, 'utf8').split('\n').length >= 4);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toMatch(/^127\.0\.0\.1 "GET \/bad HTTP\/1\.1" 400 \d+$/);
    expect(lines[1]).toMatch(/^127\.0\.0\.1 "GET \/big HTTP\/1\.1" 431 \d+$/);
    expect(lines[2]).toMatch(/^127\.0\.0\.1 "- - HTTP\/1\.1" 400 \d+$/);
  });

  it('reopen() starts a new file after the old one was moved (logrotate)', async () => {
    current = await startPipeline(['--access-logfile', 'access.log', '--access-logformat', '%(U)s']);
    const path = join(current.dir, 'access.log');
    await rawRequest(current.port, get('/before'));
    await until(() => existsSync(path) && readFileSync(path, 'utf8').includes('/before'));
    renameSync(path, `${path}.1`);
    reopenFiles();
    await rawRequest(current.port, get('/after'));
    await until(() => existsSync(path));
    expect(readFileSync(path, 'utf8')).toBe('/after\n');
    expect(readFileSync(`${path}.1`, 'utf8')).toBe('/before\n');
  });

  it('an unopenable access log fails with a message naming the path', async () => {
    const loaded = await loadConfig({ argv: ['--access-logfile', '/nonexistent-dir/a.log'], env: {}, cwd: '/' });
    if (!loaded.ok) throw new Error(loaded.message);
    const log = createErrorLog({ target: '-', level: 'critical' });
    await expect(createPipeline(loaded.config, log)).rejects.toThrow(
      /Cannot open the access log \/nonexistent-dir\/a\.log/,
    );
  });

  it('a failing write (ENOSPC on /dev/full) is logged once and serving goes on', async () => {
    current = await startPipeline(['--access-logfile', '/dev/full']);
    for (let i = 0; i < 3; i++) expect(statusOf(await rawRequest(current.port, get('/')))).toBe(200);
    await until(() => current?.errors().includes('ENOSPC') ?? false);
    expect(current.errors().match(/Access log write to \/dev\/full failed/g)).toHaveLength(1);
  });
});

describe('worker HTTP pipeline: stats for the arbiter', () => {
  it('counts in-flight requests and records status and latency in the totals', async () => {
    let release: (() => void) | undefined;
    current = await startPipeline([], (_req, res) => {
      release = () => res.end('done');
    });
    const before = workerStats.totals.requestsByStatus['200'] ?? 0;
    const count = workerStats.totals.latencyCount;
    const pending = rawRequest(current.port, get('/'));
    await until(() => release !== undefined);
    expect(workerStats.inFlight).toBe(1);
    release?.();
    expect(statusOf(await pending)).toBe(200);
    await until(() => workerStats.inFlight === 0);
    expect(workerStats.inFlight).toBe(0);
    expect(workerStats.totals.requestsByStatus['200']).toBe(before + 1);
    expect(workerStats.totals.latencyCount).toBe(count + 1);
  });

  it('attaches stats and metrics to every n-th heartbeat only', () => {
    const first = heartbeatMessage(0, 4, 7, workerStats);
    expect(isFromWorker(first)).toBe(true);
    expect(isWorkerStatsSample(first.stats)).toBe(true);
    expect(first.stats?.requests).toBe(7);
    expect(first.metrics?.pid).toBe(process.pid);
    expect(first.metrics?.latencyBuckets).toHaveLength(12);
    // A copy, so later requests cannot change a message waiting to be serialized.
    expect(first.metrics?.latencyBuckets).not.toBe(workerStats.totals.latencyBuckets);
    const second = heartbeatMessage(1, 4, 8, workerStats);
    expect(second.stats).toBeUndefined();
    expect(second.metrics).toBeUndefined();
    expect(heartbeatMessage(4, 4, 9, workerStats).stats?.requests).toBe(9);
  });
});
