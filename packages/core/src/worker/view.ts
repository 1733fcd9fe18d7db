/** The hook views as a worker builds them for itself: its own {@link WorkerView} and its arbiter's {@link ServerView}. */
import type { ServerView, WorkerView } from '../hooks/types.js';
import type { InitMessage } from '../ipc/messages.js';
import type { Logger } from '../logging/types.js';
import type { TgunConfig } from '../settings/registry.js';

/** The live numbers a worker view reads. */
export interface WorkerCounters {
  readonly requests: number;
  readonly booted: boolean;
}

/** This worker, as its hooks see it; `requests` and `booted` are read live. */
export function selfView(init: InitMessage, counters: WorkerCounters, maxRequests: number, log: Logger): WorkerView {
  return {
    pid: process.pid,
    ppid: init.arbiterPid,
    age: init.age,
    get booted() {
      return counters.booted;
    },
    maxRequests,
    get requests() {
      return counters.requests;
    },
    log,
  };
}

/**
 * The arbiter as a worker-side hook (`postFork`, `workerExit`) sees it. A worker is a separate process, so
 * this is a snapshot from the init message: it lists no workers.
 */
export function arbiterViewInWorker(init: InitMessage, config: TgunConfig, log: Logger): ServerView {
  return {
    pid: init.arbiterPid,
    cfg: config as unknown as Readonly<Record<string, unknown>>,
    log,
    numWorkers: config.workers,
    workers: [],
    listeners: init.listeners.map((l) => l.name),
  };
}
