/**
 * A worker's graceful stop, the drain that loses no request on reload ("connclose-noidle"):
 *
 * 1. stop accepting with `net.Server#close`, not `http.Server#close`: the latter also closes idle keep-alive
 *    sockets, and a socket that looks idle may already carry the client's next request;
 * 2. answer every later response with `Connection: close` (the request path does this while draining), so
 *    busy connections end by themselves;
 * 3. leave truly idle sockets to the keep-alive timeout, then after a grace close what is still idle;
 * 4. give up at the deadline (just under `--graceful-timeout`, after which the arbiter kills the worker).
 */
import { Server as HttpServer } from 'node:http';
import { Server as NetServer } from 'node:net';

/** How the drain ended: every connection closed by itself, or the deadline cut it short. */
export type DrainResult = 'drained' | 'deadline';

/** Timings of a drain, in ms from its start. */
export interface DrainTimes {
  /** After this, idle keep-alive connections are closed (they had their keep-alive time to be reused). */
  readonly idleGraceMs: number;
  /** After this, the drain gives up. */
  readonly deadlineMs: number;
}

function stopAccepting(server: NetServer): Promise<void> {
  return new Promise((resolve) => {
    // `close` fires once every connection has ended; with no handle left it fires at once.
    server.once('close', () => resolve());
    NetServer.prototype.close.call(server);
  });
}

/** Runs the drain over `servers`; resolves when all connections are gone or at the deadline. */
export async function drain(servers: readonly NetServer[], times: DrainTimes): Promise<DrainResult> {
  const timers: NodeJS.Timeout[] = [];
  const closed = Promise.all(servers.map(stopAccepting)).then((): DrainResult => 'drained');
  const idle = setTimeout(() => {
    for (const s of servers) if (s instanceof HttpServer) s.closeIdleConnections();
  }, times.idleGraceMs);
  timers.push(idle);
  const deadline = new Promise<DrainResult>((resolve) => {
    timers.push(setTimeout(() => resolve('deadline'), times.deadlineMs));
  });
  try {
    return await Promise.race([closed, deadline]);
  } finally {
    for (const t of timers) clearTimeout(t);
  }
}
