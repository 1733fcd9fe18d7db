/**
 * Serving a loaded app on the sockets inherited from the arbiter. A listener app gets one `http.Server` per
 * socket, owned by tgun (so tgun's keep-alive applies). A server-owning app listens with its own server on
 * the first socket (keeping its options and `upgrade` listeners); further sockets hand their connections to
 * that same server.
 *
 * Given the configuration (`config` and `log`), tgun's servers run the full HTTP pipeline (`pipeline.ts`:
 * limits, proxy trust, TLS, access log, StatsD, stats); an app's own server only gets the observing half.
 * Every served HTTP server is handed to the `onHttpServer` hook before it listens (where a listener app
 * attaches its WebSocket server), and its long-lived connections are tracked for the drain (`long-lived.ts`).
 */
import { createServer as createHttpServer, Server as HttpServer, type RequestListener } from 'node:http';
import { Server as HttpsServer } from 'node:https';
import { Server as TlsServer } from 'node:tls';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import type { ServedApp } from '../adapter.js';
import type { Origin } from '../config/problems.js';
import type { InheritedListener } from '../ipc/messages.js';
import type { Logger } from '../logging/types.js';
import type { TgunConfig } from '../settings/registry.js';
import { createLongLived, type LongLived } from './long-lived.js';
import { createPipeline, type HttpPipeline } from './pipeline.js';
import { countingListener } from './response-end.js';

/** How the servers are set up. */
export interface ServeOptions {
  readonly backlog: number;
  /** tgun's `keepAlive`, in ms, for the servers tgun creates. */
  readonly keepAliveMs: number;
  /** The worker's configuration; with `log`, turns on the HTTP pipeline. */
  readonly config?: TgunConfig;
  /** The worker's error log, for the pipeline's warnings. */
  readonly log?: Logger;
  /**
   * Where each setting came from. An app-owned server keeps its own keep-alive timeout unless `keepAlive` was
   * set in a file, the environment or on the command line.
   */
  readonly origins?: Readonly<Record<string, Origin>>;
}

/** What serving produced. */
export interface Serving {
  /** Every server listening on an inherited fd (drain closes these). */
  readonly listening: NetServer[];
  /** The HTTP pipeline, when the configuration was given. */
  readonly pipeline?: HttpPipeline;
  /** The WebSockets and event streams the servers hold, which a drain ends deliberately. */
  readonly longLived: LongLived;
}

/** How requests reach the app: the full request path for tgun's servers, an instrumenter for an app's own. */
export interface RequestWiring {
  /** Wraps a listener app's listener in the request path (counting, hooks, error handling). */
  wrap(listener: RequestListener): RequestListener;
  /** Puts the request path in front of an app-owned HTTP server's listeners. */
  instrument(server: HttpServer): void;
}

function listenOnFd(server: NetServer, fd: number, backlog: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    // Node reads the backlog of an fd listen from the second argument only.
    server.listen({ fd, backlog }, backlog, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function userSet(origins: Readonly<Record<string, Origin>> | undefined, name: string): boolean {
  const layer = origins?.[name]?.layer;
  return layer === 'file' || layer === 'env' || layer === 'cli';
}

/** tgun's keepAlive on an app's server; 0 means one request per connection, as for tgun's own servers. */
function applyKeepAlive(server: HttpServer, ms: number): void {
  if (ms > 0) server.keepAliveTimeout = Math.round(ms);
  else server.maxRequestsPerSocket = 1;
}

/** Starts listening on every inherited socket; rejects if any listen fails. */
export async function serve(
  app: ServedApp,
  listeners: readonly InheritedListener[],
  opts: ServeOptions,
  wiring: RequestWiring,
): Promise<Serving> {
  const pipeline = opts.config && opts.log ? await createPipeline(opts.config, opts.log) : undefined;
  const longLived = createLongLived(opts.log);
  const out: Serving = { listening: [], longLived, ...(pipeline ? { pipeline } : {}) };
  const attach = async (server: NetServer) => {
    longLived.track(server);
    // The pipeline casts its https.Server (and its HTTP/2 TLS server, whose HTTP/1.1 fallback emits `upgrade`)
    // to http.Server, and an app's own server may be either.
    const http = server instanceof HttpServer || server instanceof HttpsServer || server instanceof TlsServer;
    if (opts.config && http) await opts.config.onHttpServer(server as HttpServer);
  };
  if (app.kind === 'listener') {
    const listener = wiring.wrap(app.listener);
    for (const l of listeners) {
      let http: HttpServer;
      if (pipeline) http = pipeline.createServer(listener);
      else {
        http = createHttpServer(countingListener(listener));
        http.keepAliveTimeout = opts.keepAliveMs;
      }
      await attach(http);
      const server = pipeline ? pipeline.acceptor(http) : http;
      await listenOnFd(server, l.fd, opts.backlog);
      out.listening.push(server);
    }
    return out;
  }
  const main = app.server;
  if (main instanceof HttpServer) {
    wiring.instrument(main);
    if (pipeline) pipeline.observe(main);
    else main.prependListener('request', countingListener());
    if (userSet(opts.origins, 'keepAlive')) applyKeepAlive(main, opts.keepAliveMs);
  }
  await attach(main);
  const [first, ...rest] = listeners;
  if (first) {
    if (app.listen)
      await app.listen({ fd: first.fd, backlog: opts.backlog, ...(first.host ? { host: first.host } : {}) });
    else await listenOnFd(main, first.fd, opts.backlog);
    out.listening.push(main);
  }
  for (const l of rest) {
    // A server can listen once; extra sockets feed their connections to the app's server.
    const forward = createNetServer((socket) => main.emit('connection', socket));
    await listenOnFd(forward, l.fd, opts.backlog);
    out.listening.push(forward);
  }
  return out;
}
