/**
 * The worker's in-process request statistics: requests in flight and the Prometheus totals (by status, latency
 * histogram). One instance per worker process, updated by the HTTP pipeline and read by the heartbeat, which
 * ships a snapshot to the arbiter at most once a second — so recording a request stays a few integer updates
 * and never touches IPC.
 */
import { createRequestTotals, observeRequest, type RequestTotals, type WorkerSnapshot } from '../metrics/prometheus.js';

/** Mutable counters of one worker process. */
export interface RequestStats {
  /** Requests whose response has not closed yet. */
  inFlight: number;
  /** Cumulative totals of closed responses. */
  readonly totals: RequestTotals;
}

/**
 * The process-wide statistics. A module singleton on purpose: the heartbeat starts before the worker has its
 * configuration, and the pipeline is built later by the serve step, so neither can hand the other an object.
 */
export const workerStats: RequestStats = { inFlight: 0, totals: createRequestTotals() };

/**
 * Internal, for the bench only (`bench/README.md`, "Statistics off"): `TGUN_BENCH_NO_STATS=1` in a worker's
 * environment turns off what the statistics add — the Prometheus totals per request and the sample on the
 * heartbeat — so the bench can show what they cost. Not a setting, not documented for users, may go away.
 * Read once, when the worker loads this module.
 */
export const STATS_OFF = process.env.TGUN_BENCH_NO_STATS === '1';

function record(stats: RequestStats, status: number, seconds: number): void {
  stats.inFlight--;
  observeRequest(stats.totals, status, seconds);
}

function countOnly(stats: RequestStats): void {
  stats.inFlight--;
}

/**
 * Records one finished response: `seconds` from request start to response close. Chosen once at load, so
 * the normal path carries no test of {@link STATS_OFF}.
 */
export const recordResponse: (stats: RequestStats, status: number, seconds: number) => void = STATS_OFF
  ? countOnly
  : record;

/**
 * A copy of the counters for the heartbeat (the IPC channel serializes later, so the live objects must not be
 * handed over).
 */
export function snapshotStats(stats: RequestStats, rssBytes: number): WorkerSnapshot {
  const t = stats.totals;
  return {
    pid: process.pid,
    inFlight: stats.inFlight,
    rssBytes,
    requestsByStatus: { ...t.requestsByStatus },
    latencyBuckets: t.latencyBuckets.slice(),
    latencySum: t.latencySum,
    latencyCount: t.latencyCount,
  };
}
