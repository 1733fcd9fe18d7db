/**
 * The arbiter's Prometheus endpoint body: per-worker request metrics aggregated into the text exposition format
 * (version 0.0.4), plus the arbiter's own counters.
 *
 * Hand-written rather than prom-client: the metric set is fixed and small, the arbiter aggregates snapshots it
 * already receives over tgun's IPC (prom-client's `AggregatorRegistry` either needs `node:cluster` workers or,
 * through its static `aggregate`, a full prom-client registry in every worker on the request path), and it
 * keeps `@tgun/core` free of prom-client's dependencies. A worker records with {@link observeRequest} on plain
 * numbers; the arbiter calls {@link renderPrometheus} on a {@link MetricsSnapshot}.
 *
 * Counters must never go backwards across worker restarts, so the arbiter folds each exited worker's last
 * totals into {@link MetricsSnapshot.retired} with {@link addTotals}.
 */

/** Upper bounds (seconds) of the latency histogram's buckets: Prometheus client libraries' default set. */
export const LATENCY_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

/** Request counters of one worker (or of all exited workers). Plain data: it crosses IPC as JSON. */
export interface RequestTotals {
  /** Completed requests by status code (`"200"` → count). */
  requestsByStatus: Record<string, number>;
  /**
   * Requests per latency bucket, *not* cumulative: index i counts durations ≤ `LATENCY_BUCKETS[i]` and above the
   * previous bound; the extra last slot counts durations above the largest bound.
   */
  latencyBuckets: number[];
  /** Sum of request durations, in seconds. */
  latencySum: number;
  /** Number of observed durations. */
  latencyCount: number;
}

/** What one live worker reports. */
export interface WorkerSnapshot extends RequestTotals {
  readonly pid: number;
  /** Requests being handled right now. */
  readonly inFlight: number;
  /** `process.memoryUsage.rss()` of the worker, in bytes. */
  readonly rssBytes: number;
}

/** Everything {@link renderPrometheus} needs, assembled by the arbiter. */
export interface MetricsSnapshot {
  /** Live workers' latest reports. */
  readonly workers: readonly WorkerSnapshot[];
  /** Folded totals of workers that have exited. */
  readonly retired?: RequestTotals | undefined;
  /** Workers the arbiter started to replace ones that exited. */
  readonly restarts: number;
  /** Workers killed for missing their heartbeat (`--timeout`). */
  readonly timeouts: number;
  /** The configured number of workers (`--workers`, after TTIN/TTOU). */
  readonly targetWorkers?: number | undefined;
}

/** Empty totals with the histogram sized for {@link LATENCY_BUCKETS}. */
export function createRequestTotals(): RequestTotals {
  return {
    requestsByStatus: {},
    latencyBuckets: new Array<number>(LATENCY_BUCKETS.length + 1).fill(0),
    latencySum: 0,
    latencyCount: 0,
  };
}

/** Records one completed request in a worker's totals. Constant time, no allocation after a status is seen. */
export function observeRequest(totals: RequestTotals, status: number, seconds: number): void {
  const key = String(status);
  totals.requestsByStatus[key] = (totals.requestsByStatus[key] ?? 0) + 1;
  let i = 0;
  while (i < LATENCY_BUCKETS.length && seconds > (LATENCY_BUCKETS[i] as number)) i++;
  totals.latencyBuckets[i] = (totals.latencyBuckets[i] ?? 0) + 1;
  totals.latencySum += seconds;
  totals.latencyCount++;
}

/** Adds `from` into `into` (for folding an exited worker into the retired totals, or summing workers). */
export function addTotals(into: RequestTotals, from: RequestTotals): void {
  for (const [status, count] of Object.entries(from.requestsByStatus)) {
    into.requestsByStatus[status] = (into.requestsByStatus[status] ?? 0) + count;
  }
  for (let i = 0; i < from.latencyBuckets.length; i++) {
    into.latencyBuckets[i] = (into.latencyBuckets[i] ?? 0) + (from.latencyBuckets[i] ?? 0);
  }
  into.latencySum += from.latencySum;
  into.latencyCount += from.latencyCount;
}

function num(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/** Escapes a label value: backslash, double quote and line feed, as the text format requires. */
export function escapeLabel(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

function family(lines: string[], name: string, type: string, help: string): void {
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
}

/** Options for {@link renderPrometheus}. */
export interface RenderOptions {
  /** Metric name prefix; default `tgun_`. */
  readonly prefix?: string;
}

/**
 * Renders the snapshot as Prometheus text: `<p>http_requests_total{status}`, the `<p>http_request_duration_seconds`
 * histogram, `<p>http_requests_in_flight`, `<p>worker_resident_memory_bytes{pid}`, `<p>workers`,
 * `<p>workers_target`, `<p>worker_restarts_total`, `<p>worker_timeouts_total`. Ends with a newline.
 */
export function renderPrometheus(snapshot: MetricsSnapshot, options: RenderOptions = {}): string {
  const p = options.prefix ?? 'tgun_';
  const totals = createRequestTotals();
  if (snapshot.retired !== undefined) addTotals(totals, snapshot.retired);
  let inFlight = 0;
  for (const worker of snapshot.workers) {
    addTotals(totals, worker);
    inFlight += worker.inFlight;
  }
  const lines: string[] = [];

  family(lines, `${p}http_requests_total`, 'counter', 'HTTP requests completed, by status code.');
  const statuses = Object.keys(totals.requestsByStatus).sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  for (const status of statuses) {
    lines.push(`${p}http_requests_total{status="${escapeLabel(status)}"} ${num(totals.requestsByStatus[status] ?? 0)}`);
  }

  const h = `${p}http_request_duration_seconds`;
  family(lines, h, 'histogram', 'Time from request start to response end, in seconds.');
  let cumulative = 0;
  for (let i = 0; i < LATENCY_BUCKETS.length; i++) {
    cumulative += totals.latencyBuckets[i] ?? 0;
    lines.push(`${h}_bucket{le="${num(LATENCY_BUCKETS[i] as number)}"} ${cumulative}`);
  }
  lines.push(`${h}_bucket{le="+Inf"} ${totals.latencyCount}`, `${h}_sum ${num(totals.latencySum)}`);
  lines.push(`${h}_count ${totals.latencyCount}`);

  family(lines, `${p}http_requests_in_flight`, 'gauge', 'HTTP requests being handled now, all workers.');
  lines.push(`${p}http_requests_in_flight ${inFlight}`);

  family(lines, `${p}worker_resident_memory_bytes`, 'gauge', 'Resident set size of each live worker.');
  for (const worker of snapshot.workers) {
    lines.push(`${p}worker_resident_memory_bytes{pid="${worker.pid}"} ${num(worker.rssBytes)}`);
  }

  family(lines, `${p}workers`, 'gauge', 'Live worker processes.');
  lines.push(`${p}workers ${snapshot.workers.length}`);
  if (snapshot.targetWorkers !== undefined) {
    family(lines, `${p}workers_target`, 'gauge', 'Configured number of worker processes.');
    lines.push(`${p}workers_target ${snapshot.targetWorkers}`);
  }
  family(lines, `${p}worker_restarts_total`, 'counter', 'Workers started to replace workers that exited.');
  lines.push(`${p}worker_restarts_total ${snapshot.restarts}`);
  family(lines, `${p}worker_timeouts_total`, 'counter', 'Workers killed for missing their heartbeat.');
  lines.push(`${p}worker_timeouts_total ${snapshot.timeouts}`);
  return `${lines.join('\n')}\n`;
}

/** The `Content-Type` of {@link renderPrometheus}'s output. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function isCountList(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((n) => typeof n === 'number' && Number.isFinite(n));
}

/** Whether `value` is a well-formed {@link WorkerSnapshot} (it arrives over an IPC channel the app shares). */
export function isWorkerSnapshot(value: unknown): value is WorkerSnapshot {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  const byStatus = v.requestsByStatus;
  return (
    typeof v.pid === 'number' &&
    typeof v.inFlight === 'number' &&
    typeof v.rssBytes === 'number' &&
    typeof v.latencySum === 'number' &&
    typeof v.latencyCount === 'number' &&
    isCountList(v.latencyBuckets) &&
    byStatus !== null &&
    typeof byStatus === 'object' &&
    isCountList(Object.values(byStatus))
  );
}
