/**
 * The worker's heartbeat: a small IPC message sent from its event loop. If the loop blocks (`while (true)`),
 * beats stop and the arbiter's watchdog aborts, then kills, the worker. The request count rides along, so
 * serving requests never costs an IPC message.
 */
import type { HeartbeatMessage } from '../ipc/messages.js';
import { tell } from './tell.js';

/** Starts beating every `intervalMs`; returns a function that stops it. */
export function startHeartbeat(intervalMs: number, requests: () => number): () => void {
  const beat = () => {
    const msg: HeartbeatMessage = { t: 'hb', requests: requests() };
    tell(msg);
  };
  beat();
  const timer = setInterval(beat, intervalMs);
  // The beat alone must never keep a finished worker alive.
  timer.unref();
  return () => clearInterval(timer);
}
