/**
 * How a worker's exit status tells the arbiter what happened. 3 and 4 are gunicorn's: the arbiter halts on
 * them instead of respawning a worker that can never boot.
 */
export const WORKER_EXIT = {
  /** Stopped normally (drained, recycled, or told to quit). */
  ok: 0,
  /** Crashed after booting (uncaught error), or aborted by the watchdog's SIGABRT. */
  crashed: 1,
  /** Could not boot: bad configuration, a failing `postFork`/`postWorkerInit` hook, privilege drop, listen. */
  bootFailed: 3,
  /** The application could not be loaded. */
  appLoadFailed: 4,
} as const;
