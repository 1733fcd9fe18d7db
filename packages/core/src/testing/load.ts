/**
 * A small, bounded load client for zero-downtime tests: several concurrent loops send requests back to back
 * over a keep-alive agent (the case a careless drain breaks), and every `closeEvery`-th request uses a fresh
 * `Connection: close` connection. It counts sent/ok/failed and remembers the first errors.
 */
import { Agent } from 'node:http';
import type { Socket } from 'node:net';
import { request } from './http.js';

/** What the load client saw. */
export interface LoadStats {
  sent: number;
  ok: number;
  failed: number;
  /** Up to 10 failure descriptions. */
  errors: string[];
  /** Distinct pids that answered (the fixture apps answer with their pid). */
  pids: Set<string>;
  /**
   * Failures by the worker that held them: a reused keep-alive socket is known by the pid its previous answer
   * named; a request on a new connection is counted under `fresh`.
   */
  failedOn: Record<string, number>;
}

/** Options for {@link startLoad}. */
export interface LoadOptions {
  /** Concurrent request loops (and keep-alive sockets). */
  readonly concurrency?: number;
  /** Every n-th request of a loop goes on its own `Connection: close` connection (0: never). */
  readonly closeEvery?: number;
  readonly path?: string;
  /** Hard cap on requests, so a test can never run away. */
  readonly maxRequests?: number;
}

/** A running load. */
export interface Load {
  readonly stats: LoadStats;
  /** Stops sending, waits for requests in flight, and returns the totals. */
  stop(): Promise<LoadStats>;
}

/** Starts sending requests to `target` until {@link Load.stop}. */
export function startLoad(target: string, opts: LoadOptions = {}): Load {
  const concurrency = opts.concurrency ?? 6;
  const closeEvery = opts.closeEvery ?? 5;
  const max = opts.maxRequests ?? 200_000;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const stats: LoadStats = { sent: 0, ok: 0, failed: 0, errors: [], pids: new Set(), failedOn: {} };
  const owner = new WeakMap<Socket, string>();
  let running = true;
  const loop = async () => {
    for (let i = 1; running && stats.sent < max; i++) {
      stats.sent++;
      const fresh = closeEvery > 0 && i % closeEvery === 0;
      let socket: Socket | undefined;
      const failedOn = () => {
        const by = (socket && owner.get(socket)) ?? 'fresh';
        stats.failedOn[by] = (stats.failedOn[by] ?? 0) + 1;
      };
      try {
        const res = await request(target, opts.path ?? '/', {
          agent: fresh ? false : agent,
          ...(fresh ? { headers: { connection: 'close' } } : {}),
          timeoutMs: 20_000,
          onSocket: (s) => {
            socket = s;
          },
        });
        if (res.status === 200) {
          stats.ok++;
          stats.pids.add(res.body);
          if (socket) owner.set(socket, res.body);
        } else {
          stats.failed++;
          failedOn();
          if (stats.errors.length < 10) stats.errors.push(`status ${res.status}: ${res.body.slice(0, 100)}`);
        }
      } catch (err) {
        stats.failed++;
        failedOn();
        if (stats.errors.length < 10) stats.errors.push(String((err as Error).message ?? err));
      }
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  return {
    stats,
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      return stats;
    },
  };
}
