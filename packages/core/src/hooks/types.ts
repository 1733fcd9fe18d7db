/**
 * What server hooks receive. Hooks are settings (see `settings/hooks.ts`): typed, with no-op defaults, always
 * called. These views are deliberately small and stable; they are what a `tgun.config.ts` can rely on.
 */
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { SecureContextOptions } from 'node:tls';
import type { Logger } from '../logging/types.js';

/** The arbiter (master process) as hooks see it. */
export interface ServerView {
  /** The arbiter's pid. */
  readonly pid: number;
  /** The effective configuration. */
  readonly cfg: Readonly<Record<string, unknown>>;
  readonly log: Logger;
  /** Worker count the arbiter is keeping alive now (TTIN/TTOU change it). */
  readonly numWorkers: number;
  /** Live workers. */
  readonly workers: readonly WorkerView[];
  /** Listening addresses as `Listening at:` prints them. */
  readonly listeners: readonly string[];
}

/** One worker process as hooks see it, from the arbiter's side or inside the worker itself. */
export interface WorkerView {
  readonly pid: number;
  /** The arbiter's pid. */
  readonly ppid: number;
  /** Spawn order: 1 for the first worker the arbiter ever started, increasing. */
  readonly age: number;
  /** Whether the worker has reported that its app is loaded and it is serving. */
  readonly booted: boolean;
  /** Requests this worker will serve before it is recycled (`Infinity` when `maxRequests` is 0). */
  readonly maxRequests: number;
  /** Requests served so far (inside the worker; the arbiter's view reports the last value it was told). */
  readonly requests: number;
  readonly log: Logger;
}

/** The factory the `sslContext` hook may call to build tgun's default TLS options. */
export type SslContextFactory = () => SecureContextOptions;

/** A connection the app took over through the server's `upgrade` event (a WebSocket, usually). */
export interface UpgradedConnection {
  readonly req: IncomingMessage;
  readonly socket: Duplex;
  /** The request asked for `Upgrade: websocket`. */
  readonly websocket: boolean;
}

/** A `text/event-stream` (server-sent events) response still being written. */
export interface EventStream {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
}

/** The long-lived connections a draining worker still holds, as the `workerGoingAway` hook sees them. */
export interface LongLivedConnections {
  /** Upgraded connections still open. */
  readonly upgraded: readonly UpgradedConnection[];
  /** Server-sent-event responses still open. */
  readonly eventStreams: readonly EventStream[];
  /**
   * tgun's default for every connection listed: a WebSocket gets a close frame with code 1001 (going away),
   * through the `ws` library's `close()` when the socket belongs to it; an event stream is ended; any other
   * upgraded connection is ended.
   */
  goAway(): void;
}

/** Signatures of every server hook, by setting name. */
export interface HookSignatures {
  onStarting(server: ServerView): void | Promise<void>;
  onReload(server: ServerView): void | Promise<void>;
  whenReady(server: ServerView): void | Promise<void>;
  preFork(server: ServerView, worker: WorkerView): void | Promise<void>;
  postFork(server: ServerView, worker: WorkerView): void | Promise<void>;
  postWorkerInit(worker: WorkerView): void | Promise<void>;
  workerInt(worker: WorkerView): void;
  workerAbort(worker: WorkerView): void;
  preExec(server: ServerView): void;
  preRequest(worker: WorkerView, req: IncomingMessage): void;
  postRequest(worker: WorkerView, req: IncomingMessage, res: ServerResponse): void;
  childExit(server: ServerView, worker: WorkerView): void;
  workerExit(server: ServerView, worker: WorkerView): void;
  nworkersChanged(server: ServerView, newValue: number, oldValue: number | null): void;
  onExit(server: ServerView): void | Promise<void>;
  onHttpServer(server: HttpServer): void | Promise<void>;
  workerGoingAway(worker: WorkerView, connections: LongLivedConnections): void | Promise<void>;
  sslContext(cfg: Readonly<Record<string, unknown>>, defaultFactory: SslContextFactory): SecureContextOptions;
}
