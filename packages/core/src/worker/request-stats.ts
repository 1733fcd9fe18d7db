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

/** Records one finished response: `seconds` from request start to response close. */
export function recordResponse(stats: RequestStats, status: number, seconds: number): void {
  stats.inFlight--;
  observeRequest(stats.totals, status, seconds);
}

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
