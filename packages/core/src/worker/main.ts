/**
 * The worker process entry, spawned by the arbiter's pool (never run by hand). Signal listeners go in first —
 * a USR1 with no listener would start Node's inspector — then the worker waits for the arbiter's init message
 * and boots. Arguments after the script only pad argv so `process.title` has room (Linux caps the title at
 * the original argv's length).
 */
import { isInitMessage, isStopMessage } from '../ipc/messages.js';
import { setTitle, workerTitle } from '../ipc/titles.js';
import { guardStdStreams } from '../logging/std-streams.js';
import { bootWorker } from './boot.js';
import { WORKER_EXIT } from './exit-codes.js';
import { startHeartbeat } from './heartbeat.js';
import { installWorkerSignals } from './signals.js';

// Before anything can write: a reader of our output that went away must not make this worker crash or spin.
guardStdStreams();
const leave = (code: number) => () => process.exit(code);
const actions = installWorkerSignals({
  graceful: leave(WORKER_EXIT.ok),
  quick: leave(WORKER_EXIT.ok),
  abort: leave(WORKER_EXIT.crashed),
  reopen: () => {},
  orphaned: leave(WORKER_EXIT.ok),
  crash: (err) => {
    // A stray rejection while the app loads (a refused database connection) is a boot failure, not a crash
    // to respawn from in a loop.
    process.stderr.write(
      `tgun worker ${process.pid}: failed while booting: ${err instanceof Error ? err.stack : String(err)}\n`,
    );
    process.exit(WORKER_EXIT.bootFailed);
  },
  ignored: () => {},
});

// An arbiter that died while this process was starting closed the channel before the listener above existed
// (ESM entry modules run after Node has set the channel up), so its 'disconnect' was missed: leave now.
if (!process.connected) process.exit(WORKER_EXIT.ok);

/** Shared with the boot sequence; the heartbeat reads the request count from here. */
const counters = { requests: 0, booted: false };
const initTimer = setTimeout(() => {
  process.stderr.write('tgun worker: no init message from the arbiter; exiting\n');
  process.exit(WORKER_EXIT.bootFailed);
}, 60_000);

process.on('message', (msg: unknown) => {
  if (isStopMessage(msg)) {
    if (msg.graceful) actions.graceful();
    else actions.quick();
    return;
  }
  if (!isInitMessage(msg)) return;
  clearTimeout(initTimer);
  setTitle(workerTitle(msg.procName));
  startHeartbeat(msg.heartbeatMs, () => counters.requests);
  bootWorker(msg, actions, counters).catch((err: unknown) => {
    process.stderr.write(`tgun worker: boot crashed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(WORKER_EXIT.bootFailed);
  });
});
