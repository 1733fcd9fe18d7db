/**
 * Liveness: gunicorn's `murder_workers`. A worker whose heartbeat is older than `--timeout` is logged as
 * `WORKER TIMEOUT`, sent SIGABRT (its `workerAbort` hook runs if its event loop still can), and SIGKILL on a
 * later pass if it is still there. A worker asked to stop that outlives its graceful deadline is killed too.
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from '../logging/types.js';
import type { Pool } from './pool.js';

/** Time between SIGABRT and SIGKILL for a worker that did not react. */
export const ABORT_GRACE_MS = 1000;

/** A gap between two checks longer than this means the arbiter itself was not running. */
const STALL_MS = 1500;

/** Checks the pool's heartbeats; one per arbiter, called on every pass of the loop. */
export class Watchdog {
  private lastCheck = performance.now();

  constructor(private readonly pool: Pool) {}

  /** Aborts, then kills, stale workers and workers past their stop deadline. */
  check(timeoutSeconds: number, log: Logger): void {
    const now = performance.now();
    // The loop comes round at least once a second. If it stalled (a slow synchronous hook, an overloaded
    // host), heartbeats may be sitting unread in the IPC buffers: judge workers once it has caught up.
    const stalled = now - this.lastCheck > STALL_MS;
    this.lastCheck = now;
    for (const w of this.pool.all()) {
      if (w.exit || w.killed || w.pid === 0) continue;
      if (w.stopping && now > w.stopping.deadline) {
        log.warning(`Worker graceful timeout (pid:${w.pid})`);
        this.pool.signal(w, 'SIGKILL');
        continue;
      }
      if (stalled || timeoutSeconds <= 0 || now - w.lastBeat <= timeoutSeconds * 1000) continue;
      if (w.abortedAt === null) {
        log.critical(`WORKER TIMEOUT (pid:${w.pid})`);
        w.abortedAt = now;
        this.pool.signal(w, 'SIGABRT');
      } else if (now - w.abortedAt >= ABORT_GRACE_MS) {
        this.pool.signal(w, 'SIGKILL');
      }
    }
  }
}
