/**
 * Serving apps that start their own server at import time (`app.listen(3000)`, `http.createServer(h).listen()`),
 * unchanged. Inside a worker, the app's first HTTP `listen()` is rewritten to listen on the socket tgun
 * inherited from the arbiter (`{ fd }`) instead of binding its own port: the app's own server, with its options,
 * timeouts and `upgrade` listeners, then serves on tgun's socket, exactly as it does under `node app.js`.
 *
 * The rewrite uses the `tracing:net.server.listen:asyncStart` diagnostics channel (Node >= 20.16), whose
 * subscribers receive the normalised listen options before any socket is touched; no prototype is patched.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Server as HttpServer } from 'node:http';
import { Server as HttpsServer } from 'node:https';
import type { Server as NetServer } from 'node:net';
import { Server as TlsServer } from 'node:tls';
import type { ServedApp, ServerApp } from '../adapter.js';

const LISTEN_START = 'tracing:net.server.listen:asyncStart';

/** What {@link installSelfListen} is told. */
export interface SelfListenOptions {
  /** The inherited socket the app's first HTTP `listen()` is redirected to. */
  readonly fd: number;
  /** Called once, synchronously inside `listen()`, with the server that now listens on `fd`. */
  onServer?(server: NetServer): void;
  /**
   * Called for every later `listen()` (a second server, a metrics port), which is left alone: each worker
   * binds it itself, so a fixed port there fails in every worker but the first.
   */
  onIgnored?(server: NetServer, options: Readonly<Record<string, unknown>>): void;
}

/** A live rewrite; dispose of it once the app has been loaded and tgun's own servers are about to listen. */
export interface SelfListen extends Disposable {
  /** The server the app started on tgun's socket, or null while it has not called `listen()`. */
  readonly server: NetServer | null;
  /** Resolves with the captured server as soon as the app calls `listen()` (at once when it already has). */
  whenServer(signal?: AbortSignal): Promise<NetServer>;
  /** Stops rewriting; idempotent. A server already captured keeps serving. */
  dispose(): void;
}

interface ListenMessage {
  readonly server: NetServer;
  readonly options: Record<string, unknown>;
}

function isListenMessage(value: unknown): value is ListenMessage {
  if (value === null || typeof value !== 'object') return false;
  const m = value as { server?: unknown; options?: unknown };
  return m.server !== null && typeof m.server === 'object' && m.options !== null && typeof m.options === 'object';
}

/**
 * Servers that answer HTTP: the rewrite never takes a plain TCP server (a Redis mock, a custom protocol), which
 * would otherwise swallow tgun's socket.
 */
function speaksHttp(server: NetServer): boolean {
  if (server instanceof HttpServer || server instanceof HttpsServer || server instanceof TlsServer) return true;
  // http2.createServer() (cleartext) has no exported class to test against.
  return server.constructor?.name === 'Http2Server';
}

/** Listens that already name a descriptor or handle are tgun's own (or deliberate); they are never rewritten. */
function targetsExistingSocket(options: Record<string, unknown>): boolean {
  return typeof options.fd === 'number' || options.handle !== undefined || options._handle !== undefined;
}

/**
 * Starts redirecting the app's first HTTP `listen()` to `fd`. Call it in the worker before importing the app,
 * and dispose of it before tgun listens with servers of its own.
 */
export function installSelfListen(opts: SelfListenOptions): SelfListen {
  let captured: NetServer | null = null;
  let active = true;
  const waiters = new Set<(server: NetServer) => void>();

  const onListen = (message: unknown): void => {
    // A throw here would surface as an uncaught exception on the next tick, far from the app's listen() call.
    try {
      if (!active || !isListenMessage(message)) return;
      const { server, options } = message;
      if (targetsExistingSocket(options) || !speaksHttp(server)) return;
      if (captured) {
        opts.onIgnored?.(server, { ...options });
        return;
      }
      const signal = options.signal;
      // Node reads port, host, path, exclusive and ipv6Only after this hook; only fd and signal must survive.
      for (const key of Object.keys(options)) delete options[key];
      options.fd = opts.fd;
      if (signal !== undefined) options.signal = signal;
      captured = server;
      opts.onServer?.(server);
      for (const wake of waiters) wake(server);
      waiters.clear();
    } catch {
      // Leaving the options untouched lets the app's listen() behave exactly as without tgun.
    }
  };
  subscribe(LISTEN_START, onListen);

  const dispose = () => {
    if (!active) return;
    active = false;
    unsubscribe(LISTEN_START, onListen);
  };
  return {
    get server() {
      return captured;
    },
    whenServer(signal?: AbortSignal) {
      if (captured) return Promise.resolve(captured);
      return new Promise<NetServer>((resolve, reject) => {
        const wake = (server: NetServer) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(server);
        };
        const onAbort = () => {
          waiters.delete(wake);
          reject(signal?.reason ?? new Error('aborted'));
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        waiters.add(wake);
      });
    },
    dispose,
    [Symbol.dispose]: dispose,
  };
}

function whenListening(server: NetServer): Promise<void> {
  if (server.listening) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
  });
}

/**
 * The served app for a server the app started itself. It is already listening on the inherited socket, so
 * its `listen()` only waits for that; `close()` and the framework settings come from `exported` (the same app
 * resolved through its adapter, when the module also exports it), so a Fastify `onClose` hook still runs.
 */
export function selfListenedApp(server: NetServer, exported?: ServedApp | null): ServerApp {
  const app: ServerApp = {
    kind: 'server',
    server,
    listen: () => whenListening(server),
  };
  const close = exported?.close;
  return {
    ...app,
    ...(close ? { close: () => close.call(exported) } : {}),
    ...(exported?.settings ? { settings: exported.settings } : {}),
  };
}
