/**
 * Per-worker statistics: what a worker measures about itself, how the arbiter turns consecutive samples into a
 * CPU percentage, and the row `tgun ctl workers` shows. Samples ride on the heartbeat at most once a second, so
 * the request path never pays for them: counting a request stays an integer increment.
 */
import { performance } from 'node:perf_hooks';

/** How often a worker attaches a stats sample to its heartbeat, at most. */
export const STATS_INTERVAL_MS = 1000;

/** What a worker reports about itself (cumulative counters; the arbiter computes rates from deltas). */
export interface WorkerStatsSample {
  /** Requests served since the worker started. */
  readonly requests: number;
  /** Requests whose response has not finished yet. */
  readonly inFlight: number;
  /** Resident set size in bytes (`process.memoryUsage.rss()`, which does not walk the heap). */
  readonly rss: number;
  /** User + system CPU time since the worker started, in microseconds. */
  readonly cpuMicros: number;
  /** The worker's `performance.now()` when sampled: a monotonic clock, only ever compared with itself. */
  readonly at: number;
}

/** A sample plus what the arbiter derived from it and the previous one. */
export interface WorkerStats {
  readonly sample: WorkerStatsSample;
  /** CPU use between the last two samples, in percent of one core; null until two samples arrived. */
  readonly cpuPercent: number | null;
}

/** Where a worker is in its life, as `tgun ctl` shows it. */
export type WorkerState = 'booting' | 'ready' | 'retiring' | 'stopping' | 'exited';

/** One row of `tgun ctl workers` (and of `status --json`'s `workers`). */
export interface WorkerInfo {
  /** Spawn order, 1 for the arbiter's first worker (gunicorn's worker "age"). */
  readonly id: number;
  readonly pid: number;
  readonly state: WorkerState;
  /** The reload generation the worker belongs to; a HUP starts a new one. */
  readonly generation: number;
  /** Seconds since the worker was spawned. */
  readonly uptime: number;
  /** Requests served (from the heartbeat, so up to one beat old). */
  readonly requests: number;
  /** Requests in progress, or null before the first stats sample. */
  readonly inFlight: number | null;
  /** Resident set size in bytes, or null before the first stats sample. */
  readonly rss: number | null;
  /** CPU percent of one core over the last sample interval, or null before two samples. */
  readonly cpu: number | null;
  /** Seconds since the last heartbeat, or null before the first one. */
  readonly heartbeat: number | null;
  /**
   * PM2's ↺: how many workers in a row died on their own (crash, watchdog kill, max-requests) in the slot this
   * one fills. 0 for workers started at boot, by scaling or by a reload.
   */
  readonly restarts: number;
}

/** Measures the current process: called by a worker when a sample is due, and by the arbiter for itself. */
export function sampleProcess(requests: number, inFlight: number): WorkerStatsSample {
  const cpu = process.cpuUsage();
  return {
    requests,
    inFlight,
    rss: process.memoryUsage.rss(),
    cpuMicros: cpu.user + cpu.system,
    at: performance.now(),
  };
}

/** Folds a new sample into the previous stats; an out-of-order or repeated sample leaves the CPU figure unknown. */
export function mergeSample(previous: WorkerStats | null, sample: WorkerStatsSample): WorkerStats {
  if (previous === null) return { sample, cpuPercent: null };
  const wallMs = sample.at - previous.sample.at;
  const cpuMs = (sample.cpuMicros - previous.sample.cpuMicros) / 1000;
  if (wallMs <= 0 || cpuMs < 0) return { sample, cpuPercent: null };
  return { sample, cpuPercent: Math.round((cpuMs / wallMs) * 1000) / 10 };
}

/**
 * How many heartbeats to skip between two samples, so a sample goes out at most every
 * {@link STATS_INTERVAL_MS} whatever the heartbeat period.
 */
export function beatsPerSample(heartbeatMs: number): number {
  return Math.max(1, Math.ceil(STATS_INTERVAL_MS / Math.max(1, heartbeatMs)));
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** Whether `value` is a well-formed sample (the IPC channel is shared with the app, so check before use). */
export function isWorkerStatsSample(value: unknown): value is WorkerStatsSample {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return isCount(v.requests) && isCount(v.inFlight) && isCount(v.rss) && isCount(v.cpuMicros) && isCount(v.at);
}
