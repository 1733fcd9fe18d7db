/**
 * Reaping: gunicorn's `reap_workers`. Each exited worker is logged the way gunicorn logs it, its hooks run
 * (`workerExit` here only when the worker could not run it itself, then `childExit`), and it is forgotten.
 * A worker that exits 3 or 4 before booting halts the arbiter instead of being respawned in a loop.
 */
import type { ServerView } from '../hooks/types.js';
import type { Logger } from '../logging/types.js';
import type { TgunConfig } from '../settings/registry.js';
import { WORKER_EXIT } from '../worker/exit-codes.js';
import { HaltServer } from './halt.js';
import type { Pool } from './pool.js';
import type { WorkerRecord } from './record.js';

function logExit(w: WorkerRecord, log: Logger): void {
  const { code, signal } = w.exit ?? { code: null, signal: null };
  if (signal === 'SIGKILL') log.error(`Worker (pid:${w.pid}) was sent SIGKILL! Perhaps out of memory?`);
  else if (signal === 'SIGTERM') log.info(`Worker (pid:${w.pid}) was sent SIGTERM!`);
  else if (signal) log.warning(`Worker (pid:${w.pid}) was sent ${signal}!`);
  else if (code !== 0) log.error(`Worker (pid:${w.pid}) exited with code ${code ?? 'unknown'}.`);
}

/** Whether the worker exited with a boot or app-load failure before it booted. */
export function failedToBoot(w: WorkerRecord): boolean {
  const code = w.exit?.code;
  return !w.booted && (code === WORKER_EXIT.bootFailed || code === WORKER_EXIT.appLoadFailed);
}

/** Why a worker's exit must halt the arbiter, or null. */
export function haltReason(w: WorkerRecord): HaltServer | null {
  if (w.booted || !w.haltOnBootFailure || !w.exit) return null;
  if (w.exit.code === WORKER_EXIT.bootFailed) return new HaltServer('Worker failed to boot.', WORKER_EXIT.bootFailed);
  if (w.exit.code === WORKER_EXIT.appLoadFailed)
    return new HaltServer('App failed to load.', WORKER_EXIT.appLoadFailed);
  return null;
}

/** Reaps every exited worker; throws {@link HaltServer} on a boot failure (after reaping all of them). */
export function reapWorkers(pool: Pool, config: TgunConfig, server: ServerView, log: Logger): WorkerRecord[] {
  const reaped: WorkerRecord[] = [];
  let halt: HaltServer | null = null;
  for (const w of pool.all()) {
    if (!w.exit) continue;
    pool.remove(w);
    reaped.push(w);
    logExit(w, log);
    halt ??= haltReason(w);
    try {
      if (!w.ranWorkerExit) config.workerExit(server, w.view);
      config.childExit(server, w.view);
    } catch (err) {
      log.exception('childExit/workerExit hook failed', err);
    }
  }
  if (halt) throw halt;
  return reaped;
}
