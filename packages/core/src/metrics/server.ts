/**
 * The arbiter's `--metrics-bind` endpoint: `GET /metrics` (Prometheus text), `/healthz` (liveness) and
 * `/readyz` (readiness). It runs on the arbiter's event loop, which is otherwise off the request path, so
 * every answer is built synchronously from state the loop already holds (the last heartbeat snapshots), with
 * no I/O beyond the response itself; scrapers cannot make it wait on a worker.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logging/types.js';
import { parseAddress } from '../sockets/address.js';
import { type MetricsSnapshot, PROMETHEUS_CONTENT_TYPE, renderPrometheus } from './prometheus.js';

/** What the endpoint reads, each call a fresh synchronous look at the arbiter. */
export interface MetricsSource {
  /** Everything `/metrics` renders. */
  snapshot(): MetricsSnapshot;
  /** Whether at least one worker has booted and can serve (`/readyz`). */
  ready(): boolean;
}

/** Options of {@link startMetricsServer}. */
export interface MetricsServerOptions {
  /** `HOST:PORT` (`[::1]:9100` for IPv6); port 0 picks a free one. */
  readonly bind: string;
  readonly source: MetricsSource;
  readonly log: Logger;
}

/** A running endpoint. */
export interface MetricsServer {
  /** The address actually bound, as `HOST:PORT`. */
  readonly address: string;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, type: string, body: string, head: boolean): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(head ? undefined : body);
}

function answer(req: IncomingMessage, res: ServerResponse, opts: MetricsServerOptions): void {
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    res.setHeader('allow', 'GET, HEAD');
    send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', head);
    return;
  }
  const path = (req.url ?? '/').split('?', 1)[0];
  const text = 'text/plain; charset=utf-8';
  switch (path) {
    case '/metrics':
      send(res, 200, PROMETHEUS_CONTENT_TYPE, renderPrometheus(opts.source.snapshot()), head);
      return;
    case '/healthz':
      send(res, 200, text, 'ok\n', head);
      return;
    case '/readyz':
      if (opts.source.ready()) send(res, 200, text, 'ready\n', head);
      else send(res, 503, text, 'no worker has booted\n', head);
      return;
    default:
      send(res, 404, text, 'not found: try /metrics, /healthz or /readyz\n', head);
  }
}

/** Listens on `opts.bind`; rejects when the address cannot be bound (the arbiter then refuses to start). */
export async function startMetricsServer(opts: MetricsServerOptions): Promise<MetricsServer> {
  const addr = parseAddress(opts.bind);
  if (addr.kind !== 'tcp') throw new Error(`metrics_bind must be HOST:PORT, got '${opts.bind}'`);
  const server = createServer((req, res) => {
    try {
      answer(req, res, opts);
    } catch (err) {
      opts.log.exception('The metrics endpoint failed to answer', err);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n', false);
      else res.destroy();
    }
  });
  // Scrapers reconnect every interval anyway; short keep-alive frees the arbiter's sockets sooner.
  server.keepAliveTimeout = 5000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: addr.host, port: addr.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => opts.log.exception('Metrics endpoint error', err));
  server.unref();
  const bound = server.address() as AddressInfo;
  const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  const address = `${host}:${bound.port}`;
  opts.log.info(`Metrics at: http://${address}/metrics`);
  return {
    address,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
