/**
 * Ending a worker: a graceful drain (TERM, the arbiter's stop message, max-requests, a lost arbiter), a quick
 * exit (INT/QUIT) or an abort (the watchdog's SIGABRT). Every path logs `Worker exiting (pid: N)`, runs the
 * `workerExit` hook, tells the arbiter it did so, and exits with a status the arbiter understands.
 */
import { performance } from 'node:perf_hooks';
import type { ServedApp } from '../adapter.js';
import type { ServerView, WorkerView } from '../hooks/types.js';
import type { ExitingMessage } from '../ipc/messages.js';
import type { Logger } from '../logging/types.js';
import type { TgunConfig } from '../settings/registry.js';
import { drain } from './drain.js';
import { destroyLongLived, longLivedView } from './going-away.js';
import { tell } from './tell.js';
import { WORKER_EXIT } from './exit-codes.js';
import type { RequestState } from './requests.js';
import type { Serving } from './serve.js';

/** How a worker is asked to end. */
export type StopKind = 'graceful' | 'quick' | 'abort' | 'crash';

/** Everything a stop needs from the booted worker. */
export interface StopContext {
  readonly config: TgunConfig;
  readonly log: Logger;
  readonly view: WorkerView;
  readonly server: ServerView;
  readonly state: RequestState;
  readonly app: ServedApp | null;
  readonly serving: Serving | null;
}

/** Tells the arbiter this exit was orderly, then exits; the exit never waits long on a dead channel. */
export function exitWorker(code: number): void {
  const msg: ExitingMessage = { t: 'exiting' };
  setTimeout(() => process.exit(code), 500).unref();
  tell(msg, () => process.exit(code));
}

/**
 * Refuses further upgrades and runs the `workerGoingAway` hook on the long-lived connections; resolves with a
 * timer that destroys what is still open `graceMs` after the hook settled.
 */
async function goAway(ctx: StopContext, serving: Serving, graceMs: number): Promise<NodeJS.Timeout> {
  const tracker = serving.longLived;
  tracker.refuseUpgrades();
  const view = longLivedView(tracker);
  try {
    await ctx.config.workerGoingAway(ctx.view, view);
  } catch (err) {
    ctx.log.exception('workerGoingAway hook failed', err);
  }
  return setTimeout(() => {
    const n = destroyLongLived(tracker);
    if (n > 0) ctx.log.debug(`Closed ${n} long-lived connection(s) that outlived the going-away grace`);
  }, graceMs).unref();
}

/** Returns the worker's stop function; the first call wins, except that a quick stop overrides a drain. */
export function createStop(ctx: StopContext): (kind: StopKind) => void {
  let stopping: StopKind | null = null;
  let finished = false;
  const finish = (code: number) => {
    // A quick stop may overtake a drain that is still running; exit once.
    if (finished) return;
    finished = true;
    ctx.log.info(`Worker exiting (pid: ${process.pid})`);
    try {
      ctx.config.workerExit(ctx.server, ctx.view);
    } catch (err) {
      ctx.log.exception('workerExit hook failed', err);
    }
    exitWorker(code);
  };
  const graceful = async (code: number) => {
    const started = performance.now();
    ctx.state.draining = true;
    const graceMs = ctx.config.gracefulTimeout * 1000;
    // Finish a little before the arbiter's SIGKILL, so the hooks above still run.
    const deadlineMs = Math.max(0, graceMs - 250);
    const idleGraceMs = Math.min(deadlineMs, ctx.config.keepAlive * 1000 + 1000);
    if (ctx.serving) {
      const draining = drain(ctx.serving.listening, { idleGraceMs, deadlineMs });
      // drain() stopped accepting synchronously; WebSockets and event streams are ended now, not at the deadline.
      const force = goAway(ctx, ctx.serving, idleGraceMs);
      const result = await draining;
      // An async hook may still be running; its timer is unref'd, so it never holds the exit back.
      void force.then(clearTimeout);
      if (result === 'deadline') ctx.log.warning(`Worker graceful timeout (pid:${process.pid})`);
    }
    try {
      // The app's own cleanup gets what is left of the deadline, not more.
      const left = Math.max(0, deadlineMs - (performance.now() - started));
      const timer = new Promise<void>((resolve) => setTimeout(resolve, left).unref());
      await Promise.race([ctx.app?.close?.(), timer]);
    } catch (err) {
      ctx.log.exception('Error while closing the application', err);
    }
    finish(code);
  };
  return (kind) => {
    if (stopping !== null && !(kind === 'quick' || kind === 'abort')) return;
    if (stopping === 'quick' || stopping === 'abort') return;
    stopping = kind;
    if (kind === 'quick') {
      try {
        ctx.config.workerInt(ctx.view);
      } catch (err) {
        ctx.log.exception('workerInt hook failed', err);
      }
      finish(WORKER_EXIT.ok);
    } else if (kind === 'abort') {
      try {
        ctx.config.workerAbort(ctx.view);
      } catch (err) {
        ctx.log.exception('workerAbort hook failed', err);
      }
      finish(WORKER_EXIT.crashed);
    } else {
      void graceful(kind === 'crash' ? WORKER_EXIT.crashed : WORKER_EXIT.ok);
    }
  };
}
