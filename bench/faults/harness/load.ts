/**
 * Continuous, bounded load for fault scenarios: `concurrency` loops send requests back to back over
 * keep-alive sockets, every `closeEvery`-th on a fresh `Connection: close` connection. Every request ends in
 * exactly one bucket: succeeded (any HTTP answer the scenario expects), failed (an error status or a socket
 * error, by code), or hung (no answer within `timeoutMs`: a lost request). Capped in requests and time.
 */
import { Agent, request } from 'node:http';
import type { Socket } from 'node:net';

/** The worker pid each keep-alive socket was last answered by (the fault app answers with its pid). */
const owner = new WeakMap<Socket, string>();

/** What the load saw. */
export interface LoadStats {
  sent: number;
  succeeded: number;
  failed: number;
  /** Requests with no answer and no error within the timeout. */
  hung: number;
  /** HTTP statuses answered, by code. */
  statuses: Record<string, number>;
  /** Socket errors, by code (ECONNRESET, ECONNREFUSED, …). */
  errors: Record<string, number>;
  /** Distinct bodies of `/` answers: the fault app answers its pid. */
  pids: Set<string>;
  /**
   * Failures by the worker that held them: a reused keep-alive socket is known by the pid its previous answer
   * named; a request on a fresh connection is counted under `fresh`.
   */
  failedOn: Record<string, number>;
}

/** Options for {@link startLoad}. */
export interface LoadOptions {
  readonly port: number;
  readonly path?: string;
  readonly concurrency?: number;
  /** Every n-th request of a loop uses its own `Connection: close` connection (0: never). */
  readonly closeEvery?: number;
  /** Statuses that count as succeeded (default: 200 only). */
  readonly okStatuses?: readonly number[];
  readonly timeoutMs?: number;
  /** Hard caps, so no scenario can run away. */
  readonly maxRequests?: number;
  readonly maxMs?: number;
}

/** A running load. */
export interface Load {
  readonly stats: LoadStats;
  /** Stops sending, waits for requests in flight, returns the totals. */
  stop(): Promise<LoadStats>;
}

interface Failure extends Error {
  code?: string;
  /** The pid owning the socket the request went out on, when an earlier answer named it. */
  heldBy?: string;
}

function once(opts: LoadOptions, agent: Agent | false, close: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let socket: Socket | null = null;
    const fail = (err: Failure) => {
      const heldBy = socket ? owner.get(socket) : undefined;
      if (heldBy) err.heldBy = heldBy;
      reject(err);
    };
    const req = request(
      {
        host: '127.0.0.1',
        port: opts.port,
        path: opts.path ?? '/',
        agent,
        headers: close ? { connection: 'close' } : {},
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => {
          if (socket && /^\d+$/.test(body)) owner.set(socket, body);
          resolve({ status: res.statusCode ?? 0, body });
        });
        res.on('error', fail);
      },
    );
    req.on('socket', (s) => {
      socket = s;
    });
    req.setTimeout(opts.timeoutMs ?? 20_000, () => req.destroy(Object.assign(new Error('hung'), { code: 'HUNG' })));
    req.on('error', fail);
    req.end();
  });
}

/** Starts the load; call {@link Load.stop} to end it. */
export function startLoad(opts: LoadOptions): Load {
  const concurrency = opts.concurrency ?? 6;
  const closeEvery = opts.closeEvery ?? 4;
  const ok = new Set(opts.okStatuses ?? [200]);
  const maxRequests = opts.maxRequests ?? 100_000;
  const deadline = Date.now() + (opts.maxMs ?? 60_000);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const stats: LoadStats = {
    sent: 0,
    succeeded: 0,
    failed: 0,
    hung: 0,
    statuses: {},
    errors: {},
    pids: new Set(),
    failedOn: {},
  };
  let running = true;
  const loop = async () => {
    for (let i = 1; running && stats.sent < maxRequests && Date.now() < deadline; i++) {
      stats.sent++;
      const fresh = closeEvery > 0 && i % closeEvery === 0;
      try {
        const res = await once(opts, fresh ? false : agent, fresh);
        stats.statuses[res.status] = (stats.statuses[res.status] ?? 0) + 1;
        if (ok.has(res.status)) {
          stats.succeeded++;
          if (res.status === 200) stats.pids.add(res.body);
        } else stats.failed++;
      } catch (err) {
        const f = err as Failure;
        const code = f.code ?? f.message;
        if (code === 'HUNG') stats.hung++;
        else stats.failed++;
        stats.errors[code] = (stats.errors[code] ?? 0) + 1;
        const by = fresh ? 'fresh' : (f.heldBy ?? 'fresh');
        stats.failedOn[by] = (stats.failedOn[by] ?? 0) + 1;
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

/** Prints a scenario's counts (the suite's output lists one line per scenario). */
export function report(scenario: string, s: LoadStats, extra = ''): void {
  const errors = Object.keys(s.errors).length
    ? ` errors ${JSON.stringify(s.errors)} on ${JSON.stringify(s.failedOn)}`
    : '';
  const statuses = ` statuses ${JSON.stringify(s.statuses)}`;
  console.log(
    `[faults] ${scenario}: sent ${s.sent}, succeeded ${s.succeeded}, failed ${s.failed}, hung ${s.hung};${statuses}${errors}${extra ? `; ${extra}` : ''}`,
  );
}

/** Failures held by a worker other than `culprits` (should be none), and the count on fresh connections. */
export function attribute(s: LoadStats, culprits: readonly number[]): { elsewhere: number; fresh: number } {
  let elsewhere = 0;
  for (const [by, n] of Object.entries(s.failedOn)) {
    if (by !== 'fresh' && !culprits.includes(Number(by))) elsewhere += n;
  }
  return { elsewhere, fresh: s.failedOn.fresh ?? 0 };
}

/** Resolves once `stats.succeeded` has grown by `n` (or after `timeoutMs`, to false). */
export async function served(stats: LoadStats, n: number, timeoutMs = 20_000): Promise<boolean> {
  const target = stats.succeeded + n;
  const end = Date.now() + timeoutMs;
  while (stats.succeeded < target) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}
