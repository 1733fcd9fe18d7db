/**
 * The second half of the "Worker Processes" section: liveness, shutdown and keep-alive timing, and how a HUP
 * replaces workers.
 */
import { defineSetting } from './types.js';
import { seconds } from './validators.js';
import { choice } from './validators-extra.js';

const timeout = defineSetting({
  name: 'timeout',
  section: 'Worker Processes',
  gunicorn: 'timeout',
  cli: { flags: ['-t', '--timeout'], metavar: 'SECONDS' },
  default: 30,
  validate: seconds(),
  typeText: 'number',
  summary: 'Kill and replace a worker whose event loop has been blocked this long (0 = never).',
  description: [
    "A worker's event loop sends the arbiter a heartbeat over IPC every `timeout / 2` seconds. When a worker's",
    'last heartbeat is more than `timeout` seconds old, its event loop is blocked (an endless loop, a long',
    'synchronous computation, `fs.readFileSync` on a hung mount): the arbiter logs `WORKER TIMEOUT (pid:N)`,',
    'sends it `SIGABRT` (which runs the `workerAbort` hook), then `SIGKILL` if it is still alive, and starts a',
    'replacement. `0` turns the check off.',
    '',
    '**This is not a per-request timeout.** A request that is merely slow (waiting on a database, a remote API)',
    "leaves the event loop free, so heartbeats keep coming. That is gunicorn's behaviour for its non-sync",
    "workers; only gunicorn's `sync` worker, which heartbeats between requests, turns `timeout` into a request",
    'limit. Bound slow requests in the app or the proxy in front of tgun.',
  ].join('\n'),
});

const gracefulTimeout = defineSetting({
  name: 'gracefulTimeout',
  section: 'Worker Processes',
  gunicorn: 'graceful_timeout',
  cli: { flags: ['--graceful-timeout'], metavar: 'SECONDS' },
  default: 30,
  validate: seconds(),
  typeText: 'number',
  summary: 'How long a stopping worker may take to finish its in-flight requests before it is killed.',
  description: [
    'When a worker is told to stop gracefully (`TERM` to the arbiter, a `HUP` reload, `maxRequests`, `TTOU`), it',
    'stops accepting, closes idle keep-alive connections, answers in-flight requests with `Connection: close`',
    'and exits once they are done. A worker still running `gracefulTimeout` seconds later is sent `SIGKILL`.',
    'Open WebSocket and other upgraded connections are closed by then at the latest.',
  ].join('\n'),
});

const keepAlive = defineSetting({
  name: 'keepAlive',
  section: 'Worker Processes',
  gunicorn: 'keepalive',
  cli: { flags: ['--keep-alive'], metavar: 'SECONDS' },
  default: 2,
  validate: seconds(),
  typeText: 'number',
  summary: 'How long to wait for the next request on an idle keep-alive connection.',
  description: [
    'Seconds an HTTP/1.1 connection may stay idle between requests before the worker closes it; it becomes',
    "the worker's `server.keepAliveTimeout` (Node's own default is 5 s). `0` turns keep-alive off: every",
    'response closes its connection. gunicorn: `keepalive` (the flag is `--keep-alive` in both).',
    '',
    'Behind a load balancer that keeps connections open to tgun (AWS ALB/ELB, Google Cloud LB, nginx with',
    "`keepalive`), set it **above the balancer's idle timeout**, for example 65 with an ALB's 60 s default.",
    'Otherwise tgun may close a connection at the moment the balancer reuses it, and clients see sporadic 502',
    'errors. Facing clients directly, the default of 2 s frees idle sockets quickly.',
  ].join('\n'),
});

const reloadStrategy = defineSetting({
  name: 'reloadStrategy',
  section: 'Worker Processes',
  cli: { flags: ['--reload-strategy'], metavar: 'STRATEGY' },
  default: 'all' as const,
  validate: choice(['all', 'rolling']),
  typeText: "'all' | 'rolling'",
  summary: "How a HUP replaces workers: 'all' at once, or 'rolling', one at a time.",
  description: [
    'What the arbiter does on `HUP` once it has re-read the configuration:',
    '',
    "- `all` (gunicorn's way): start a full set of new workers, then gracefully stop every old one. Fastest,",
    '  but for a moment twice the workers run, which needs twice the memory.',
    "- `rolling` (Puma's phased restart): replace workers one at a time. Each new worker must report that it",
    '  has booted before one old worker is stopped, so capacity never drops and at most one extra worker runs.',
    '',
    'Either way the listening sockets stay open, so no connection is refused. tgun-only: gunicorn has no',
    'equivalent.',
  ].join('\n'),
});

/** The second half of the "Worker Processes" section, in reference order. */
export const WORKER_TIMEOUT_SETTINGS = [timeout, gracefulTimeout, keepAlive, reloadStrategy] as const;
