/**
 * The "Server Hooks" section, second part: hooks that run while tgun serves, as workers stop and exit, and
 * when TLS options are built.
 */
import type { LongLivedConnections, SslContextFactory, WorkerView } from '../hooks/types.js';
import { defineHook, IN_WORKER_NOTE } from './hooks.js';

const workerInt = defineHook('workerInt', function workerInt() {}, {
  gunicorn: 'worker_int',
  summary: 'Called in a worker on SIGINT or SIGQUIT, and when --reload restarts it.',
  description: [
    '`workerInt(worker)`, in the **worker**, synchronously, when it is told to stop at once: on `SIGINT` or',
    '`SIGQUIT` (the arbiter sends these on a fast shutdown), and when `reload` notices a changed file.',
    '',
    IN_WORKER_NOTE,
  ].join('\n'),
});

const workerAbort = defineHook('workerAbort', function workerAbort() {}, {
  gunicorn: 'worker_abort',
  summary: 'Called in a worker on SIGABRT, which the arbiter sends when its heartbeat is late.',
  description: [
    '`workerAbort(worker)`, in the **worker**, synchronously, on `SIGABRT`. The arbiter sends it when the',
    "worker's heartbeat is more than `timeout` seconds late; the worker then exits with status 1.",
    '',
    'Node runs signal handlers on the event loop, so while the loop stays blocked this hook cannot run: it',
    'only runs if the loop frees up before the arbiter follows with `SIGKILL`.',
  ].join('\n'),
});

const workerGoingAway = defineHook(
  'workerGoingAway',
  function workerGoingAway(_worker: WorkerView, connections: LongLivedConnections) {
    connections.goAway();
  },
  {
    summary: 'Called when a worker drains, to end its WebSockets and event streams (by default: close code 1001).',
    defaultText: '`connections.goAway()`',
    description: [
      '`workerGoingAway(worker, connections)`, in the **worker**, once, when a graceful stop begins (`TERM`, a',
      '`HUP` or rolling reload, `--max-requests`, `USR2`), right after it stops accepting. `connections.upgraded`',
      'lists the upgraded connections still open (`{ req, socket, websocket }`), `connections.eventStreams` the',
      '`text/event-stream` responses still open (`{ req, res }`), and `connections.goAway()` is the default: each',
      "WebSocket gets a close frame with code 1001 (going away), through the `ws` library's `close()` when the",
      "socket is one of ws's (ws, socket.io, @fastify/websocket), else as a raw close frame; each event stream is",
      'ended, and so is its connection. Override it to send a last message first, then call `goAway()`, or to close',
      'connections your own way. May be async. Connections still open `keepAlive` + 1 s after it returns are',
      'destroyed, and whatever is left at `gracefulTimeout` ends with the worker. See `docs/long-lived.md`.',
      '',
      IN_WORKER_NOTE,
    ].join('\n'),
  },
);

const preExec = defineHook('preExec', function preExec() {}, {
  gunicorn: 'pre_exec',
  summary: 'Called in the arbiter on USR2, just before the new arbiter is started.',
  description: [
    '`preExec(server)`, in the **arbiter**, synchronously, on `USR2`: just before it starts a new arbiter',
    '(running the code now on disk) that inherits the listening sockets. gunicorn runs it in a forked child',
    'before `exec`; tgun has no fork, so it runs in the old arbiter itself.',
  ].join('\n'),
});

const preRequest = defineHook('preRequest', function preRequest() {}, {
  gunicorn: 'pre_request',
  summary: 'Called in a worker before each request reaches the app.',
  description: [
    '`preRequest(worker, req)`, in the **worker**, synchronously, for every request before the app sees it;',
    "`req` is the `http.IncomingMessage`. It is on the hot path: keep it cheap. gunicorn's default logs",
    "`METHOD PATH` at debug level; tgun's does nothing.",
  ].join('\n'),
});

const postRequest = defineHook('postRequest', function postRequest() {}, {
  gunicorn: 'post_request',
  summary: 'Called in a worker after each response has been sent.',
  description: [
    '`postRequest(worker, req, res)`, in the **worker**, synchronously, once per request after the response',
    'has finished (or the connection closed early); `res.statusCode` holds the status sent. gunicorn passes',
    'the WSGI environ; on Node `req` carries everything it held. Errors it throws are logged, never sent to',
    'the client.',
  ].join('\n'),
});

const childExit = defineHook('childExit', function childExit() {}, {
  gunicorn: 'child_exit',
  summary: 'Called in the arbiter after a worker has exited.',
  description: [
    '`childExit(server, worker)`, in the **arbiter**, synchronously, after a worker process has exited and',
    'been reaped, whatever the reason. A place to clean up per-worker files (such as metric shards).',
  ].join('\n'),
});

const workerExit = defineHook('workerExit', function workerExit() {}, {
  gunicorn: 'worker_exit',
  summary: 'Called in a worker just before it exits.',
  description: [
    '`workerExit(server, worker)`, in the **worker**, synchronously, as its last step before exiting',
    'normally, after the last connection has closed. A worker killed with `SIGKILL` never runs it.',
    '',
    IN_WORKER_NOTE,
  ].join('\n'),
});

const nworkersChanged = defineHook('nworkersChanged', function nworkersChanged() {}, {
  gunicorn: 'nworkers_changed',
  summary: 'Called in the arbiter whenever the target number of workers changes.',
  description: [
    '`nworkersChanged(server, newValue, oldValue)`, in the **arbiter**, synchronously, whenever the number of',
    'workers to keep alive changes: at startup (`oldValue` is `null`), on `TTIN`, `TTOU` and `HUP`.',
  ].join('\n'),
});

const onExit = defineHook('onExit', function onExit() {}, {
  gunicorn: 'on_exit',
  summary: 'Called in the arbiter just before tgun exits.',
  description: [
    '`onExit(server)`, in the **arbiter**, once, after all workers have stopped and the pidfile is removed,',
    'just before the process exits. May be async.',
  ].join('\n'),
});

const sslContext = defineHook(
  'sslContext',
  function sslContext(_cfg: Readonly<Record<string, unknown>>, defaultFactory: SslContextFactory) {
    return defaultFactory();
  },
  {
    gunicorn: 'ssl_context',
    summary: 'Builds the TLS options for HTTPS listeners; the default uses the SSL settings.',
    description: [
      '`sslContext(cfg, defaultFactory)`, in the **worker**, whenever it builds the TLS options of its HTTPS',
      "listeners. `defaultFactory()` returns the options tgun derives from the SSL settings (Node's",
      '`tls.SecureContextOptions`); return them, changed or not, or options of your own. The default returns',
      '`defaultFactory()` unchanged. Example: `sslContext: (cfg, make) => ({ ...make(), ecdhCurve: "X25519" })`.',
    ].join('\n'),
  },
);

/** The "Server Hooks" section, second part, in reference order. */
export const HOOK_RUNNING_SETTINGS = [
  workerInt,
  workerAbort,
  workerGoingAway,
  preExec,
  preRequest,
  postRequest,
  childExit,
  workerExit,
  nworkersChanged,
  onExit,
  sslContext,
] as const;
