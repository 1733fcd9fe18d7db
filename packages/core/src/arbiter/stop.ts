/**
 * gunicorn's `stop()`: release the listening sockets, ask every worker to stop (gracefully or at once), wait
 * for them while reaping and killing at the deadlines, and switch to a quick stop if INT/QUIT arrives
 * during a graceful one.
 */
import { unlinkSocket } from '../sockets/unix.js';
import type { Arbiter } from './arbiter.js';
import { HaltServer } from './halt.js';
import type { ArbiterEvent } from './queue.js';

/**
 * Closes the arbiter's copies of the listening sockets. While a USR2 child runs (or before this master is
 * promoted) unix socket files belong to both masters, so they are left alone; systemd's are never touched.
 */
export function closeListeners(arb: Arbiter): void {
  const sharing = arb.reexecChild !== null || arb.masterPid !== 0 || arb.socketActivated;
  for (const l of arb.listeners) {
    if (sharing && l.path) {
      // Node closes leftover handles when its loop ends, and closing a bound unix socket removes its file:
      // this process must then end with process.exit(), which skips that cleanup (see runArbiter).
      if (l.origin === 'bound') arb.mustExitAbruptly = true;
      continue;
    }
    l.close();
    if (l.path && l.origin === 'inherited') unlinkSocket(l.path);
  }
  arb.listeners = [];
}

/** Stops every worker and waits until all are reaped (bounded by `--graceful-timeout` plus a margin). */
export async function stopAll(arb: Arbiter, graceful: boolean): Promise<void> {
  closeListeners(arb);
  for (const w of arb.pool.all()) arb.pool.stop(w, graceful);
  const limit = (arb.config.gracefulTimeout + 5) * 1000;
  const empty = () => arb.pool.all().length === 0;
  const wait = async (interrupt?: readonly ArbiterEvent[]) => {
    try {
      return await arb.waitFor(empty, { timeoutMs: limit, ...(interrupt ? { interrupt } : {}) });
    } catch (err) {
      // A boot failure reaped while stopping changes nothing: the arbiter is going down anyway.
      if (err instanceof HaltServer) return 'done';
      throw err;
    }
  };
  let result = await wait(graceful ? ['INT', 'QUIT'] : undefined);
  while (result === 'done' && !empty()) result = await wait();
  if (result === 'interrupted') {
    arb.log.info('Quick shutdown requested');
    for (const w of arb.pool.all()) arb.pool.stop(w, false);
    await wait();
  }
}
