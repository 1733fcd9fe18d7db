/**
 * One handler per event, gunicorn's `handle_<signal>` methods; the `Record` makes the table exhaustive, so
 * a new signal cannot be queued without a handler. Handlers that end the arbiter throw {@link HaltServer}.
 */
import type { Arbiter } from './arbiter.js';
import { HaltServer } from './halt.js';
import type { ArbiterEvent } from './queue.js';
import { reexec } from './reexec.js';
import { reload } from './reload.js';

type Handler = (arbiter: Arbiter) => void | Promise<void>;

/** What each queued event does. */
export const HANDLERS: Record<ArbiterEvent, Handler> = {
  /** Reload the configuration and the app: new workers first, then the old ones drain. */
  HUP: async (arb) => {
    arb.log.info(`Hang up: ${arb.masterName}`);
    await reload(arb, 'hup');
  },
  /** Graceful shutdown within `--graceful-timeout`. */
  TERM: () => {
    throw new HaltServer(null, 0, true);
  },
  /** Fast shutdown. */
  INT: () => {
    throw new HaltServer(null, 0, false);
  },
  /** Fast shutdown, as INT. */
  QUIT: () => {
    throw new HaltServer(null, 0, false);
  },
  /** One worker more. */
  TTIN: (arb) => arb.setNumWorkers(arb.numWorkers + 1),
  /** One worker fewer (never below one); the oldest goes. */
  TTOU: (arb) => {
    if (arb.numWorkers > 1) arb.setNumWorkers(arb.numWorkers - 1);
  },
  /** Reopen log files, here and in every worker. */
  USR1: (arb) => {
    arb.log.reopen();
    for (const w of arb.pool.all()) arb.pool.signal(w, 'SIGUSR1');
  },
  /** Start a new master on the same sockets. */
  USR2: (arb) => reexec(arb),
  /** Gracefully stop every worker but keep the master (the USR2 upgrade's second step). */
  WINCH: (arb) => {
    if (!arb.winchAllowed) {
      arb.log.debug('SIGWINCH ignored. Not daemonized');
      return;
    }
    arb.log.info('graceful stop of workers');
    arb.setNumWorkers(0);
    for (const w of arb.pool.active()) arb.pool.stop(w, true);
  },
  /** A worker exited: reap it (the loop's manage step replaces it). */
  CHLD: (arb) => {
    arb.tick();
  },
  /** `tgun ctl reload --rolling`: a HUP that replaces the workers one at a time whatever `--reload-strategy` says. */
  ROLLING: async (arb) => {
    await reload(arb, 'hup', 'rolling');
  },
  /** `--reload` saw a source file change: replace the workers, keeping the old ones if the new code fails. */
  WATCH: (arb) => reload(arb, 'watch'),
};
