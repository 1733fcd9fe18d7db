/**
 * `--worker-connections`: the most connections one worker holds at once. Node's own `server.maxConnections`
 * accepts a connection over the cap and closes it at once, losing its request. Instead, a worker at its cap
 * stops accepting: the listening handle stops polling for new connections, which then wait in the kernel's
 * backlog (or go to a sibling worker sharing the socket) and are accepted once a connection closes.
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

function handleOf(server: Server): ListenHandle | null {
  return (server as Server & { _handle?: ListenHandle | null })._handle ?? null;
}

/** Pauses accepting on `server` while it holds `max` connections. */
function pauseAtCap(server: Server, max: number, log: Logger): void {
  let open = 0;
  let paused = false;
  const resume = () => {
    open--;
    if (!paused || open >= max) return;
    const handle = handleOf(server);
    paused = false;
    // After a drain closed the server there is nothing to resume.
    if (handle && server.listening) handle.readStart?.();
  };
  server.on('connection', (socket: Socket) => {
    open++;
    socket.once('close', resume);
    if (paused || open < max) return;
    const handle = handleOf(server);
    if (!handle?.readStop) return;
    handle.readStop();
    paused = true;
    log.debug(`Worker at its --worker-connections cap (${max}): not accepting until a connection closes`);
  });
}

/** Applies the cap to every listening server of this worker. */
export function capConnections(servers: readonly Server[], max: number, log: Logger): void {
  if (!(max > 0)) return;
  for (const server of servers) {
    const handle = handleOf(server);
    if (handle && typeof handle.readStop === 'function' && handle.readStart?.() === 0) {
      pauseAtCap(server, max, log);
      continue;
    }
    server.maxConnections = max;
    server.on('drop', () => log.debug(`Connection refused: worker at its --worker-connections cap (${max})`));
  }
}
