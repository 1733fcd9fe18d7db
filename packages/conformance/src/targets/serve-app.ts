/**
 * Serving a {@link ServedApp} on a bound socket and draining it, the way a tgun worker does: a listener app
 * gets an `http.Server` made here, a server app listens with its own server (through its `listen()` when it has
 * one). Stopping closes the listener, answers in-flight requests with `Connection: close`, closes idle
 * connections, waits for the rest, then runs the app's `close()`.
 */
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { Server as NetServer } from 'node:net';
import type { ServedApp } from '@tgun/core';
import type { BoundSocket } from '../bound-socket.js';

/** A served app that is listening. */
export interface Serving {
  readonly server: NetServer;
  /** Drains and closes; resolves once the app's `close()` has run. */
  stop(): Promise<void>;
}

function listenOnFd(server: NetServer, fd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ fd }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Starts `served` on `socket`. */
export async function serveApp(served: ServedApp, socket: BoundSocket): Promise<Serving> {
  let server: NetServer;
  if (served.kind === 'listener') {
    server = createServer(served.listener);
    await listenOnFd(server, socket.fd);
  } else {
    server = served.server;
    if (served.listen)
      await served.listen({ fd: socket.fd, backlog: 511, ...(socket.host ? { host: socket.host } : {}) });
    else await listenOnFd(server, socket.fd);
  }
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    inFlight.add(res);
    res.on('close', () => inFlight.delete(res));
    if (draining) res.shouldKeepAlive = false;
  });
  return {
    server,
    async stop() {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
      (server as HttpServer).closeIdleConnections?.();
      await closed;
      await served.close?.();
    },
  };
}
