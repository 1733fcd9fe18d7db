/**
 * Worker signals, gunicorn's: TERM drains gracefully, INT and QUIT exit at once, USR1 reopens the log files,
 * ABRT (the watchdog's first step) runs `workerAbort` and exits 1. HUP, USR2 and WINCH are ignored: they are
 * master signals, and a terminal or process-group signal must not kill a serving worker.
 *
 * The listeners are installed first thing in the worker (a USR1 with no listener would start Node's
 * inspector); what they do is swapped in as the worker boots.
 */

/** What each signal does; the worker replaces these as it moves from booting to serving. */
export interface SignalActions {
  graceful(): void;
  quick(): void;
  abort(): void;
  reopen(): void;
  /** The IPC channel to the arbiter closed: the arbiter is gone. */
  orphaned(): void;
  /** An error nothing caught (before boot: a boot failure; after: log, drain, exit 1). */
  crash(error: unknown): void;
  ignored(signal: NodeJS.Signals): void;
}

const reopeners: (() => void)[] = [];

/**
 * Adds something USR1 reopens besides the error log (the access log). Registered by the parts that own the
 * files, so the boot sequence need not know about them.
 */
export function onReopen(reopen: () => void): void {
  reopeners.push(reopen);
}

/** Reopens everything registered with {@link onReopen} (what USR1 does after reopening the error log). */
export function reopenFiles(): void {
  for (const reopen of reopeners) reopen();
}

/** Installs the worker's signal listeners and returns the mutable actions they call. */
export function installWorkerSignals(initial: SignalActions): SignalActions {
  const actions: SignalActions = { ...initial };
  process.on('SIGTERM', () => actions.graceful());
  process.on('SIGINT', () => actions.quick());
  process.on('SIGQUIT', () => actions.quick());
  process.on('SIGABRT', () => actions.abort());
  process.on('SIGUSR1', () => {
    actions.reopen();
    reopenFiles();
  });
  process.on('disconnect', () => actions.orphaned());
  process.on('uncaughtException', (err) => actions.crash(err));
  for (const sig of ['SIGHUP', 'SIGUSR2', 'SIGWINCH'] as const) process.on(sig, () => actions.ignored(sig));
  return actions;
}
