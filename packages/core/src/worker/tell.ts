/** Sending a message to the arbiter, safely: a worker whose arbiter is gone must not crash on the send. */
import type { FromWorker } from '../ipc/messages.js';

/** Sends `msg` if the IPC channel is open; `done` runs after the send (or at once when it cannot be sent). */
export function tell(msg: FromWorker, done?: () => void): void {
  if (!process.connected || !process.send) {
    done?.();
    return;
  }
  // With a callback, a failed send is reported there instead of as an 'error' event on `process`.
  process.send(msg, undefined, undefined, () => done?.());
}
