/**
 * `--metrics-bind`: the arbiter's own HTTP endpoint, against a real arbiter with real workers, and the endpoint
 * server on its own with a plain source object.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createErrorLog } from '../src/logging/logger.js';
import { createRequestTotals } from '../src/metrics/prometheus.js';
import { startMetricsServer } from '../src/metrics/server.js';
import { request } from '../src/testing/http.js';
import { noLeftovers, spawnTgun } from '../src/testing/spawn-tgun.js';

const APP = join(import.meta.dirname, 'fixtures', 'pid-app.mjs');
const marks: string[] = [];
afterAll(async () => {
  await noLeftovers(marks);
});

/** The sum of every `tgun_http_requests_total{status=…}` sample. */
function requestsTotal(text: string): number {
  let sum = 0;
  for (const m of text.matchAll(/^tgun_http_requests_total\{status="\d+"\} (\d+)$/gm)) sum += Number(m[1]);
  return sum;
}

function gauge(text: string, name: string): number | null {
  const m = new RegExp(`^${name} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : null;
}

describe('the metrics endpoint of a real arbiter', () => {
  it('serves /healthz, /readyz and /metrics whose request counts match the requests sent, across workers', async () => {
    await using tgun = await spawnTgun(['-w', '2', '-b', '127.0.0.1:0', '--metrics-bind', '127.0.0.1:0', APP], {
      // The usual readiness probe would send requests of its own; /readyz is the probe here.
      wait: 'listening',
    });
    marks.push(tgun.mark);
    const [, where] = await tgun.waitForLog(/Metrics at: (http:\/\/\S+)\/metrics/);
    const metrics = where as string;
    expect(new URL(metrics).port).not.toBe(new URL(tgun.url).port);

    expect((await request(metrics, '/healthz')).status).toBe(200);
    await expect.poll(async () => (await request(metrics, '/readyz')).status, { timeout: 20_000 }).toBe(200);
    expect((await request(metrics, '/nope')).status).toBe(404);

    // Fresh connections until both workers have answered, so the count is summed across two processes.
    const servedBy = new Set<string>();
    let sent = 0;
    while (sent < 20 || (servedBy.size < 2 && sent < 400)) {
      const res = await request(tgun.url, '/');
      expect(res.status).toBe(200);
      servedBy.add(res.body);
      sent++;
    }
    expect(servedBy.size).toBe(2);

    // Workers report at most once a second: poll until the snapshots caught up.
    await expect
      .poll(async () => requestsTotal((await request(metrics, '/metrics')).body), { timeout: 20_000 })
      .toBe(sent);
    const res = await request(metrics, '/metrics');
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(gauge(res.body, 'tgun_workers')).toBe(2);
    expect(gauge(res.body, 'tgun_workers_target')).toBe(2);
    expect(res.body).toMatch(/^tgun_worker_resident_memory_bytes\{pid="\d+"\} \d+$/m);

    // A worker that exits takes its counts into the retired totals: the counter does not go backwards.
    const before = tgun.workerPids();
    tgun.signal('SIGTTOU');
    await expect.poll(() => tgun.workerPids().length, { timeout: 20_000 }).toBe(1);
    await expect
      .poll(async () => gauge((await request(metrics, '/metrics')).body, 'tgun_workers'), { timeout: 20_000 })
      .toBe(1);
    const after = await request(metrics, '/metrics');
    expect(requestsTotal(after.body)).toBe(sent);
    expect(before.filter((p) => tgun.workerPids().includes(p))).toHaveLength(1);

    tgun.signal('SIGTERM');
    expect(await tgun.exited).toEqual({ code: 0, signal: null });
  });
});

describe('startMetricsServer', () => {
  it('answers /readyz from the source, refuses other methods, and closes', async () => {
    const log = createErrorLog({ target: '-', level: 'critical', cwd: process.cwd() });
    let ready = false;
    const server = await startMetricsServer({
      bind: '127.0.0.1:0',
      log,
      source: {
        ready: () => ready,
        snapshot: () => ({ workers: [], retired: createRequestTotals(), restarts: 3, timeouts: 1 }),
      },
    });
    const base = `http://${server.address}`;
    try {
      expect((await request(base, '/readyz')).status).toBe(503);
      ready = true;
      expect((await request(base, '/readyz')).status).toBe(200);
      expect((await request(base, '/metrics', { method: 'POST' })).status).toBe(405);
      const head = await request(base, '/healthz', { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.body).toBe('');
      const body = (await request(base, '/metrics')).body;
      expect(gauge(body, 'tgun_worker_restarts_total')).toBe(3);
      expect(gauge(body, 'tgun_worker_timeouts_total')).toBe(1);
    } finally {
      await server.close();
    }
    await expect(request(base, '/healthz', { timeoutMs: 2000 })).rejects.toThrow();
  });
});
