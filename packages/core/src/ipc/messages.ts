/**
 * The arbiter ↔ worker protocol. Messages travel over the Node IPC channel the arbiter opens when it spawns a
 * worker (JSON serialization). Nothing is sent per request: a worker reports its request count with its
 * heartbeat, so the serving path never touches IPC.
 */
import type { ConfigInputs } from '../config/load.js';
import type { WorkerStatsSample } from '../control/stats.js';
import type { WorkerSnapshot } from '../metrics/prometheus.js';

/** One listening socket as a worker inherits it: the fd number in the worker and its display name. */
export interface InheritedListener {
  /** File descriptor in the worker process (3, 4, … in `stdio` order). */
  readonly fd: number;
  /** The address as `Listening at:` prints it (`http://127.0.0.1:8000`, `unix:/run/app.sock`). */
  readonly name: string;
  /** The host to report for TCP listeners (frameworks that log their address want one), else null. */
  readonly host: string | null;
}

/** First message to a new worker: everything it needs to load the same configuration and serve. */
export interface InitMessage {
  readonly t: 'init';
  /** The arbiter's config inputs at its last (re)load; the worker runs `loadConfig` on them itself. */
  readonly inputs: ConfigInputs;
  readonly appUri: string;
  readonly arbiterPid: number;
  /** Spawn order, 1 for the first worker the arbiter started. */
  readonly age: number;
  readonly listeners: readonly InheritedListener[];
  /** Requests before the worker recycles itself; 0 means never (JSON has no Infinity). */
  readonly maxRequests: number;
  /** Milliseconds between heartbeats; the worker starts beating before its config is loaded. */
  readonly heartbeatMs: number;
  /** Process title prefix-free name (`app.mjs:handler` or `--name`). */
  readonly procName: string;
}

/** Asks a worker to stop: `graceful` drains (TERM semantics), otherwise it exits at once (QUIT semantics). */
export interface StopMessage {
  readonly t: 'stop';
  readonly graceful: boolean;
}

/**
 * `--connection-balance fair-share`: what the arbiter last heard from the other accepting workers. Sent when
 * a report or the set of accepting workers changes it, never per connection.
 */
export interface PeersMessage {
  readonly t: 'peers';
  /** The sum of the connection counts the other accepting workers last reported. */
  readonly others: number;
  /** Accepting workers (booted, not stopping or retiring), this one included. */
  readonly workers: number;
}

/** Every message the arbiter sends. */
export type ToWorker = InitMessage | StopMessage | PeersMessage;

/** The worker loaded its app and listens on every inherited socket. */
export interface BootedMessage {
  readonly t: 'booted';
}
/**
 * Liveness, sent from the worker's event loop, with the requests served so far. At most once a second
 * (every `beatsPerSample(heartbeatMs)` beats) it also carries `stats` and `metrics`; other beats omit both.
 */
export interface HeartbeatMessage {
  readonly t: 'hb';
  readonly requests: number;
  /** Process sample for `tgun ctl workers` (requests, in-flight, rss, cpu); check with `isWorkerStatsSample`. */
  readonly stats?: WorkerStatsSample;
  /** This worker's Prometheus snapshot (cumulative totals by status, latency histogram, in-flight, rss, pid). */
  readonly metrics?: WorkerSnapshot;
}
/** The worker will exit on its own soon (max-requests); the arbiter may start its replacement now. */
export interface RetiringMessage {
  readonly t: 'retiring';
  readonly reason: string;
}
/** The worker is exiting normally and has run the `workerExit` hook itself. */
export interface ExitingMessage {
  readonly t: 'exiting';
}

/**
 * `--connection-balance fair-share`: the worker's open connections, sent only when the count has moved by a
 * step since the last report (and at most every few milliseconds), so steady traffic sends nothing.
 */
export interface ConnectionsMessage {
  readonly t: 'conns';
  readonly open: number;
}

/** Every message a worker sends. */
export type FromWorker = BootedMessage | HeartbeatMessage | RetiringMessage | ExitingMessage | ConnectionsMessage;

function tagged(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const t = (value as { t?: unknown }).t;
  return typeof t === 'string' ? t : undefined;
}

/** Whether `value` is a message a worker may send (anything else on the channel is the app's own). */
export function isFromWorker(value: unknown): value is FromWorker {
  const t = tagged(value);
  if (t === 'hb') return typeof (value as { requests?: unknown }).requests === 'number';
  if (t === 'retiring') return typeof (value as { reason?: unknown }).reason === 'string';
  if (t === 'conns') return Number.isInteger((value as { open?: unknown }).open);
  return t === 'booted' || t === 'exiting';
}

/** Whether `value` is the arbiter's init message. */
export function isInitMessage(value: unknown): value is InitMessage {
  if (tagged(value) !== 'init') return false;
  const v = value as Partial<InitMessage>;
  return typeof v.appUri === 'string' && Array.isArray(v.listeners) && typeof v.inputs === 'object';
}

/** Whether `value` is a stop request. */
export function isStopMessage(value: unknown): value is StopMessage {
  return tagged(value) === 'stop' && typeof (value as { graceful?: unknown }).graceful === 'boolean';
}

/** Whether `value` is the arbiter's fair-share update. */
export function isPeersMessage(value: unknown): value is PeersMessage {
  if (tagged(value) !== 'peers') return false;
  const v = value as { others?: unknown; workers?: unknown };
  return Number.isInteger(v.others) && Number.isInteger(v.workers);
}
