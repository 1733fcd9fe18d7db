import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addTotals,
  createRequestTotals,
  escapeLabel,
  LATENCY_BUCKETS,
  type MetricsSnapshot,
  observeRequest,
  renderPrometheus,
  type RequestTotals,
  type WorkerSnapshot,
} from '../src/metrics/prometheus.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A strict reader for the text format: every line is a comment (HELP/TYPE) or a well-formed sample. */
function parse(text: string): { samples: Sample[]; types: Map<string, string>; order: string[] } {
  expect(text.endsWith('\n')).toBe(true);
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const order: string[] = [];
  for (const line of text.slice(0, -1).split('\n')) {
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (meta) {
      if (meta[1] === 'TYPE') {
        expect(['counter', 'gauge', 'histogram']).toContain(meta[3]);
        expect(types.has(meta[2] as string)).toBe(false);
        types.set(meta[2] as string, meta[3] as string);
        order.push(meta[2] as string);
      }
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a valid sample line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    const labelText = m[2] ?? '';
    const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/gy;
    let consumed = 0;
    for (let l = re.exec(labelText); l; l = re.exec(labelText)) {
      labels[l[1] as string] = (l[2] as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      consumed = re.lastIndex;
    }
    expect(consumed).toBe(labelText.length);
    const raw = m[3] as string;
    const value = raw === '+Inf' ? Number.POSITIVE_INFINITY : Number(raw);
    expect(Number.isNaN(value) && raw !== 'NaN').toBe(false);
    const family = (m[1] as string).replace(/_(bucket|sum|count)$/, '');
    expect(types.has(m[1] as string) || types.get(family) === 'histogram').toBe(true);
    samples.push({ name: m[1] as string, labels, value });
  }
  return { samples, types, order };
}

function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

function worker(pid: number, fill: (t: RequestTotals) => void, extra: Partial<WorkerSnapshot> = {}): WorkerSnapshot {
  const totals = createRequestTotals();
  fill(totals);
  return { ...totals, pid, inFlight: 0, rssBytes: 50_000_000, ...extra };
}

describe('observeRequest', () => {
  it('puts each duration in the first bucket whose bound it does not exceed', () => {
    const t = createRequestTotals();
    for (const s of [0, 0.005, 0.0051, 0.3, 10, 10.5, 99]) observeRequest(t, 200, s);
    const idx = (bound: number) => LATENCY_BUCKETS.indexOf(bound);
    expect(t.latencyBuckets[idx(0.005)]).toBe(2);
    expect(t.latencyBuckets[idx(0.01)]).toBe(1);
    expect(t.latencyBuckets[idx(0.5)]).toBe(1);
    expect(t.latencyBuckets[idx(10)]).toBe(1);
    expect(t.latencyBuckets[LATENCY_BUCKETS.length]).toBe(2);
    expect(t.latencyCount).toBe(7);
    expect(t.latencySum).toBeCloseTo(0.0101 + 0.3 + 10 + 10.5 + 99, 9);
    expect(t.requestsByStatus).toEqual({ '200': 7 });
  });
});

describe('renderPrometheus', () => {
  const snapshot: MetricsSnapshot = {
    workers: [
      worker(
        101,
        (t) => {
          observeRequest(t, 200, 0.002);
          observeRequest(t, 200, 0.2);
          observeRequest(t, 404, 0.03);
        },
        { inFlight: 2, rssBytes: 41_000_000 },
      ),
      worker(
        102,
        (t) => {
          observeRequest(t, 200, 0.004);
          observeRequest(t, 500, 12);
        },
        { inFlight: 1, rssBytes: 42_500_000 },
      ),
    ],
    retired: (() => {
      const t = createRequestTotals();
      observeRequest(t, 200, 1.5);
      observeRequest(t, 502, 0.001);
      return t;
    })(),
    restarts: 3,
    timeouts: 1,
    targetWorkers: 2,
  };

  it('sums live and retired workers per status', () => {
    const { samples } = parse(renderPrometheus(snapshot));
    expect(value(samples, 'tgun_http_requests_total', { status: '200' })).toBe(4);
    expect(value(samples, 'tgun_http_requests_total', { status: '404' })).toBe(1);
    expect(value(samples, 'tgun_http_requests_total', { status: '500' })).toBe(1);
    expect(value(samples, 'tgun_http_requests_total', { status: '502' })).toBe(1);
    const statuses = samples.filter((s) => s.name === 'tgun_http_requests_total').map((s) => s.labels.status);
    expect(statuses).toEqual(['200', '404', '500', '502']);
  });

  it('renders a cumulative histogram whose +Inf bucket equals the count', () => {
    const { samples, types } = parse(renderPrometheus(snapshot));
    expect(types.get('tgun_http_request_duration_seconds')).toBe('histogram');
    const buckets = samples.filter((s) => s.name === 'tgun_http_request_duration_seconds_bucket');
    expect(buckets.map((b) => b.labels.le)).toEqual([...LATENCY_BUCKETS.map(String), '+Inf']);
    for (let i = 1; i < buckets.length; i++) {
      expect(buckets[i]?.value).toBeGreaterThanOrEqual(buckets[i - 1]?.value as number);
    }
    expect(value(samples, 'tgun_http_request_duration_seconds_bucket', { le: '0.005' })).toBe(3);
    expect(value(samples, 'tgun_http_request_duration_seconds_bucket', { le: '0.05' })).toBe(4);
    expect(value(samples, 'tgun_http_request_duration_seconds_bucket', { le: '2.5' })).toBe(6);
    expect(value(samples, 'tgun_http_request_duration_seconds_bucket', { le: '10' })).toBe(6);
    expect(value(samples, 'tgun_http_request_duration_seconds_bucket', { le: '+Inf' })).toBe(7);
    expect(value(samples, 'tgun_http_request_duration_seconds_count')).toBe(7);
    expect(value(samples, 'tgun_http_request_duration_seconds_sum')).toBeCloseTo(
      0.002 + 0.2 + 0.03 + 0.004 + 12 + 1.5 + 0.001,
      9,
    );
  });

  it('reports in-flight, per-worker RSS, worker counts, restarts and timeouts', () => {
    const { samples, types } = parse(renderPrometheus(snapshot));
    expect(value(samples, 'tgun_http_requests_in_flight')).toBe(3);
    expect(value(samples, 'tgun_worker_resident_memory_bytes', { pid: '101' })).toBe(41_000_000);
    expect(value(samples, 'tgun_worker_resident_memory_bytes', { pid: '102' })).toBe(42_500_000);
    expect(value(samples, 'tgun_workers')).toBe(2);
    expect(value(samples, 'tgun_workers_target')).toBe(2);
    expect(value(samples, 'tgun_worker_restarts_total')).toBe(3);
    expect(value(samples, 'tgun_worker_timeouts_total')).toBe(1);
    expect(types.get('tgun_worker_restarts_total')).toBe('counter');
    expect(types.get('tgun_workers')).toBe('gauge');
  });

  it('renders an empty pool, and honours a prefix', () => {
    const { samples, order } = parse(renderPrometheus({ workers: [], restarts: 0, timeouts: 0 }, { prefix: 'app_' }));
    expect(order).not.toContain('app_workers_target');
    expect(value(samples, 'app_workers')).toBe(0);
    expect(value(samples, 'app_http_request_duration_seconds_bucket', { le: '+Inf' })).toBe(0);
    expect(samples.some((s) => s.name === 'app_http_requests_total')).toBe(false);
  });

  it('does not mutate the snapshot it renders', () => {
    const before = JSON.stringify(snapshot);
    renderPrometheus(snapshot);
    renderPrometheus(snapshot);
    expect(JSON.stringify(snapshot)).toBe(before);
  });

  it('escapes label values', () => {
    expect(escapeLabel('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
  });
});

describe('from real requests on several servers', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  });

  /** One "worker": an http server recording each finished request into its own totals. */
  async function recordingServer(): Promise<{ url: string; totals: RequestTotals }> {
    const totals = createRequestTotals();
    const server = createServer((req, res) => {
      const start = process.hrtime.bigint();
      res.on('finish', () => observeRequest(totals, res.statusCode, Number(process.hrtime.bigint() - start) / 1e9));
      res.statusCode = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('status') ?? 200);
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push(server);
    return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, totals };
  }

  it('counts exactly the requests sent, per status, across workers and a retired worker', async () => {
    const a = await recordingServer();
    const b = await recordingServer();
    const gone = await recordingServer();
    const plan: Array<[string, number, number]> = [
      [a.url, 200, 5],
      [a.url, 404, 2],
      [b.url, 200, 3],
      [b.url, 503, 1],
      [gone.url, 200, 4],
    ];
    for (const [url, status, n] of plan) {
      for (let i = 0; i < n; i++) expect((await fetch(`${url}/?status=${status}`)).status).toBe(status);
    }
    const retired = createRequestTotals();
    addTotals(retired, gone.totals);
    const text = renderPrometheus({
      workers: [
        { ...a.totals, pid: 1, inFlight: 0, rssBytes: 1 },
        { ...b.totals, pid: 2, inFlight: 0, rssBytes: 1 },
      ],
      retired,
      restarts: 1,
      timeouts: 0,
    });
    const { samples } = parse(text);
    expect(value(samples, 'tgun_http_requests_total', { status: '200' })).toBe(12);
    expect(value(samples, 'tgun_http_requests_total', { status: '404' })).toBe(2);
    expect(value(samples, 'tgun_http_requests_total', { status: '503' })).toBe(1);
    expect(value(samples, 'tgun_http_request_duration_seconds_count')).toBe(15);
    expect(value(samples, 'tgun_http_request_duration_seconds_bucket', { le: '+Inf' })).toBe(15);
  });
});
