/**
 * What server hooks receive. Hooks are settings (see `settings/hooks.ts`): typed, with no-op defaults, always
 * called. These views are deliberately small and stable; they are what a `tgun.config.ts` can rely on.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
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
  sslContext(cfg: Readonly<Record<string, unknown>>, defaultFactory: SslContextFactory): SecureContextOptions;
}
