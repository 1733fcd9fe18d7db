/** What the arbiter knows about one worker process. */
import type { ChildProcess } from 'node:child_process';
import type { WorkerStats } from '../control/stats.js';
import type { WorkerView } from '../hooks/types.js';
import type { WorkerSnapshot } from '../metrics/prometheus.js';

/** How a worker ended, as Node reports it. */
export interface WorkerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** One worker, from spawn until the arbiter reaps it. */
export interface WorkerRecord {
  /** Spawn order, 1 for the first worker; also the pool's key (a pid is only known after spawn). */
  readonly age: number;
  pid: number;
  /** Which reload the worker belongs to; a HUP starts a new generation. */
  readonly generation: number;
  readonly maxRequests: number;
  child: ChildProcess | null;
  /** The worker reported its app loaded and its sockets listening. */
  booted: boolean;
  /** Requests served, as of its last heartbeat. */
  requests: number;
  /** `performance.now()` of the last heartbeat (or of the spawn). */
  lastBeat: number;
  /** Set once the arbiter asked it to stop; `deadline` is when it gets SIGKILL. */
  stopping: { readonly graceful: boolean; readonly deadline: number } | null;
  /** The worker announced it will exit on its own (max-requests); it no longer counts as active. */
  retiring: boolean;
  /** When the watchdog sent SIGABRT, or null. */
  abortedAt: number | null;
  /** Whether SIGKILL was sent. */
  killed: boolean;
  /** Set when the process has exited, until it is reaped. */
  exit: WorkerExit | null;
  /** The worker ran `workerExit` itself (it said so before exiting). */
  ranWorkerExit: boolean;
  /** A boot failure (exit 3/4 before booting) halts the arbiter, except for `--reload` restarts. */
  readonly haltOnBootFailure: boolean;
  /** `Date.now()` at spawn, for `tgun ctl workers`' uptime. */
  readonly spawnedAt: number;
  /** How many workers in a row died on their own in the slot this one fills (0 at boot, scaling, reload). */
  readonly restarts: number;
  /** The last stats samples from the heartbeat (null until the first one arrives). */
  stats: WorkerStats | null;
  /** The last Prometheus snapshot from the heartbeat (null until the first one arrives). */
  metrics: WorkerSnapshot | null;
  /** The hook view of this worker. */
  view: WorkerView;
}

/** Whether the worker still counts toward the configured number of workers. */
export function isActive(w: WorkerRecord): boolean {
  return w.exit === null && w.stopping === null && !w.retiring;
}
