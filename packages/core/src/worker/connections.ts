/**
 * `--worker-connections`: the most connections one worker holds at once. Node enforces it per listening
 * server with `server.maxConnections`; a connection over the cap is closed as soon as it is accepted (Node
 * then emits `drop`), so the cap should sit above the concurrency a worker is expected to carry. With several
 * `--bind` addresses the cap applies to each listener.
 */
import type { Server } from 'node:net';
import type { Logger } from '../logging/types.js';

/** Applies the cap to every listening server of this worker and logs connections turned away (debug). */
export function capConnections(servers: readonly Server[], max: number, log: Logger): void {
  for (const server of servers) {
    server.maxConnections = max;
    server.on('drop', () => log.debug(`Connection refused: worker at its --worker-connections cap (${max})`));
  }
}
