/**
 * Pausing a listening server's accepts, and `--worker-connections` (the most connections one worker holds at
 * once) built on it. Node's own `server.maxConnections` accepts a connection over the cap and closes it at
 * once, losing its request. Instead, a worker at its cap stops accepting: the listening handle stops polling
 * for new connections, which then wait in the kernel's backlog (or go to a sibling worker sharing the socket)
 * and are accepted once a connection closes. `--connection-balance` pauses through the same gate
 * (`worker/balance.ts`), so a server accepts only while no reason holds it.
 *
 * Stopping uses the listening handle's `readStop()`/`readStart()` (Node internals, covered by
 * `test/worker-connections.test.ts`): libuv accepts through the same I/O watcher a stream reads with, and
 * `uv_read_stop` stops it only on a stream marked reading, so the handle is marked with `readStart()` once at
 * set-up. That works on the inherited fds workers listen on; a handle that refuses (`readStart()` ≠ 0, as a
 * port-bound one does) falls back to Node's `maxConnections`. The libuv of every Node line tgun supports accepts
 * one connection per poll (libuv#3696), so `readStop()` takes effect at once and the pipeline's `maxConnections`,
 * set to the same cap, never fires on this path. With several `--bind` addresses the cap applies to each
 * listener.
 *
 * Past the backlog the kernel, not tgun, holds connections back: on Linux with SYN cookies the client's
 * handshake completes and its request is retransmitted until the accept queue has room (bench/faults
 * flood.test.ts shows both cases).
 */
import type { Server, Socket } from 'node:net';
import type { Logger } from '../logging/types.js';

interface ListenHandle {
  readStop?: () => number;
  readStart?: () => number;
}

/** Why a server is not accepting; each reason is held and released independently. */
export type PauseReason = 'cap' | 'balance';

/** Pauses and resumes accepting on one listening server. */
export interface AcceptGate {
  /** Stops accepting until every held reason is released. */
  hold(reason: PauseReason): void;
  release(reason: PauseReason): void;
}

function handleOf(server: Server): ListenHandle | null {
  return (server as Server & { _handle?: ListenHandle | null })._handle ?? null;
}

const gates = new WeakMap<Server, AcceptGate | null>();

function makeGate(server: Server): AcceptGate | null {
  const handle = handleOf(server);
  if (!handle || typeof handle.readStop !== 'function' || handle.readStart?.() !== 0) return null;
  const held = new Set<PauseReason>();
  return {
    hold(reason) {
      if (held.has(reason)) return;
      held.add(reason);
      if (held.size === 1) handleOf(server)?.readStop?.();
    },
    release(reason) {
      if (!held.delete(reason) || held.size > 0) return;
      const h = handleOf(server);
      // After a drain closed the server there is nothing to resume.
      if (h && server.listening) h.readStart?.();
    },
  };
}

/** The server's gate (one per server, shared by every reason), or null when its handle cannot pause. */
export function acceptGate(server: Server): AcceptGate | null {
  let gate = gates.get(server);
  if (gate === undefined) {
    gate = makeGate(server);
    gates.set(server, gate);
  }
  return gate;
}

/** Pauses accepting on `server` while it holds `max` connections. */
function pauseAtCap(server: Server, gate: AcceptGate, max: number, log: Logger): void {
  let open = 0;
  server.on('connection', (socket: Socket) => {
    open++;
    socket.once('close', () => {
      if (open-- === max) gate.release('cap');
    });
    if (open !== max) return;
    gate.hold('cap');
    log.debug(`Worker at its --worker-connections cap (${max}): not accepting until a connection closes`);
  });
}

/** Applies the cap to every listening server of this worker. */
export function capConnections(servers: readonly Server[], max: number, log: Logger): void {
  if (!(max > 0)) return;
  for (const server of servers) {
    const gate = acceptGate(server);
    if (gate) {
      pauseAtCap(server, gate, max, log);
      continue;
    }
    server.maxConnections = max;
    server.on('drop', () => log.debug(`Connection refused: worker at its --worker-connections cap (${max})`));
  }
}
