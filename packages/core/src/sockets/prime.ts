/**
 * Putting freshly bound sockets into the LISTEN state without the arbiter ever accepting on them.
 *
 * A bound socket only queues connections once someone has called listen(2) on it; before that, connections
 * are refused. The arbiter must not listen itself (its event loop would then accept), and Node cannot dup a
 * descriptor, so a short-lived helper process inherits the sockets, calls listen(2) on each synchronously
 * and exits before its event loop ever polls. The sockets stay listening in the kernel because the arbiter
 * still holds them; from then on connections wait in the backlog until a worker accepts them, exactly as
 * with gunicorn's master.
 */
import { spawnSync } from 'node:child_process';
import type { Listener } from './listener.js';

const HELPER = `
const net = require('node:net');
const backlog = Number(process.argv[1]);
const count = Number(process.argv[2]);
for (let i = 0; i < count; i++) net.createServer().listen({ fd: 3 + i, backlog }, backlog);
process.exit(0);
`;

/** Makes `listeners` listen with `backlog`; throws if the helper fails. */
export function primeListeners(listeners: readonly Listener[], backlog: number): void {
  if (listeners.length === 0) return;
  const result = spawnSync(process.execPath, ['-e', HELPER, String(backlog), String(listeners.length)], {
    stdio: ['ignore', 'ignore', 'pipe', ...listeners.map((l) => l.fd)],
    timeout: 30_000,
  });
  if (result.status !== 0) {
    const why = result.error?.message ?? result.stderr?.toString().trim() ?? `exit ${result.status}`;
    throw new Error(`could not start listening: ${why}`);
  }
}
