/**
 * Serving a loaded app on the sockets inherited from the arbiter. A listener app gets one `http.Server` per
 * socket, owned by tgun (so tgun's keep-alive applies). A server-owning app listens with its own server on
 * the first socket (keeping its options and `upgrade` listeners); further sockets hand their connections to
 * that same server.
 */
import { createServer as createHttpServer, Server as HttpServer, type RequestListener } from 'node:http';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import type { ServedApp } from '../adapter.js';
import type { InheritedListener } from '../ipc/messages.js';

/** How the servers are set up. */
export interface ServeOptions {
  readonly backlog: number;
  /** tgun's `keepAlive`, in ms, for the servers tgun creates. */
  readonly keepAliveMs: number;
}

/** What serving produced. */
export interface Serving {
  /** Every server listening on an inherited fd (drain closes these). */
  readonly listening: NetServer[];
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

/** Starts listening on every inherited socket; rejects if any listen fails. */
export async function serve(
  app: ServedApp,
  listeners: readonly InheritedListener[],
  opts: ServeOptions,
  wiring: RequestWiring,
): Promise<Serving> {
  const out: Serving = { listening: [] };
  if (app.kind === 'listener') {
    const listener = wiring.wrap(app.listener);
    for (const l of listeners) {
      const server = createHttpServer(listener);
      server.keepAliveTimeout = opts.keepAliveMs;
      await listenOnFd(server, l.fd, opts.backlog);
      out.listening.push(server);
    }
    return out;
  }
  const main = app.server;
  if (main instanceof HttpServer) wiring.instrument(main);
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
