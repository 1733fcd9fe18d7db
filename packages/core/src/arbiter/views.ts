/**
 * The {@link ServerView} and {@link WorkerView} objects the arbiter passes to hooks. They read the arbiter's
 * state live, so a hook that keeps a view sees current numbers.
 */
import type { ServerView, WorkerView } from '../hooks/types.js';
import type { Logger } from '../logging/types.js';
import type { TgunConfig } from '../settings/registry.js';
import type { Listener } from '../sockets/listener.js';
import type { WorkerRecord } from './record.js';

/** What the views read from the arbiter. */
export interface ViewSource {
  readonly config: TgunConfig;
  readonly log: Logger;
  readonly numWorkers: number;
  readonly listeners: readonly Listener[];
  workerRecords(): Iterable<WorkerRecord>;
}

/** A live view of one worker record. */
export function workerView(rec: WorkerRecord, log: Logger): WorkerView {
  return {
    get pid() {
      return rec.pid;
    },
    ppid: process.pid,
    age: rec.age,
    get booted() {
      return rec.booted;
    },
    maxRequests: rec.maxRequests > 0 ? rec.maxRequests : Number.POSITIVE_INFINITY,
    get requests() {
      return rec.requests;
    },
    log,
  };
}

/** A live view of the arbiter. */
export function serverView(src: ViewSource): ServerView {
  return {
    get pid() {
      return process.pid;
    },
    get cfg() {
      return src.config as unknown as Readonly<Record<string, unknown>>;
    },
    get log() {
      return src.log;
    },
    get numWorkers() {
      return src.numWorkers;
    },
    get workers() {
      return [...src.workerRecords()].filter((w) => w.exit === null).map((w) => w.view);
    },
    get listeners() {
      return src.listeners.map((l) => l.name);
    },
  };
}
