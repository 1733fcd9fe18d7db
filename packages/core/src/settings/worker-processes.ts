/** Settings of the "Worker Processes" section: how many workers, what they are, and when they are recycled. */
import { defineSetting } from './types.js';
import { int } from './validators.js';
import { choice } from './validators-extra.js';

const workerCount = int({ min: 1 });

const workers = defineSetting({
  name: 'workers',
  section: 'Worker Processes',
  gunicorn: 'workers',
  cli: { flags: ['-w', '--workers'], metavar: 'INT' },
  env: 'WEB_CONCURRENCY',
  default: (env: NodeJS.ProcessEnv): number => (env.WEB_CONCURRENCY ? workerCount(env.WEB_CONCURRENCY) : 1),
  defaultText: '`1`, or `$WEB_CONCURRENCY` when set',
  validate: workerCount,
  typeText: 'int',
  summary: 'The number of worker processes serving requests.',
  description: [
    'How many worker processes the arbiter keeps alive. Each worker is a Node process with one event loop that',
    'serves many connections at once, so one worker per CPU core (`os.availableParallelism()`, `nproc`) is the',
    "usual start, rather than gunicorn's 2–4 per core for sync workers. Use more when the app blocks its event",
    'loop for short stretches, fewer when memory is tight.',
    '',
    'The count can be changed while running: `TTIN` adds one worker, `TTOU` removes one. A `HUP` resets it to',
    'this setting. When the environment variable `WEB_CONCURRENCY` is set (Heroku and others set it), it is the',
    'default.',
  ].join('\n'),
});

const workerClass = defineSetting({
  name: 'workerClass',
  section: 'Worker Processes',
  gunicorn: 'worker_class',
  cli: { flags: ['-k', '--worker-class'], metavar: 'NAME' },
  default: 'node' as const,
  validate: choice(['node', 'sync', 'gthread', 'gevent', 'eventlet', 'tornado', 'asgi']),
  typeText: "'node' | 'sync' | 'gthread' | 'gevent' | 'eventlet' | 'tornado' | 'asgi'",
  summary: "The type of worker: every tgun worker is one Node event loop ('node').",
  description: [
    'The kind of worker process. tgun has one: `node`, a Node process whose event loop serves many',
    'connections concurrently, which is what gunicorn gets from its gevent, gthread and asgi workers.',
    '',
    "gunicorn's names `sync`, `gthread`, `gevent`, `eventlet`, `tornado` and `asgi` are accepted so that",
    'translated configs keep working, and all of them behave as `node`. In particular `sync` does **not** make',
    'a worker serve one request at a time, and `timeout` is not a per-request limit (see `timeout`).',
    'Python class paths (`uvicorn.workers.UvicornWorker`, `egg:…`) are refused. gunicorn: `worker_class`.',
  ].join('\n'),
});

const threads = defineSetting({
  name: 'threads',
  section: 'Worker Processes',
  gunicorn: 'threads',
  cli: { flags: ['--threads'], metavar: 'INT' },
  default: 1,
  validate: int({ min: 1 }),
  typeText: 'int',
  summary: 'No meaning on Node (one event loop per worker); see workerConnections.',
  description: [
    'Accepted for gunicorn compatibility and otherwise ignored. gunicorn uses it to size the thread pool of',
    'gthread workers. A Node worker runs JavaScript on one thread and overlaps requests on its event loop, so',
    'concurrency inside a worker is bounded by `workerConnections`, not by threads. For more CPU, raise',
    '`workers`; for CPU-heavy work inside a request, use `node:worker_threads` in the app.',
  ].join('\n'),
});

const workerConnections = defineSetting({
  name: 'workerConnections',
  section: 'Worker Processes',
  gunicorn: 'worker_connections',
  cli: { flags: ['--worker-connections'], metavar: 'INT' },
  default: 1000,
  validate: int({ min: 1 }),
  typeText: 'int',
  summary: 'The maximum number of simultaneous connections per worker.',
  description: [
    'The most connections one worker holds open at a time, idle keep-alive connections included. With `workers`',
    'it bounds the whole server at `workers × workerConnections` connections. In gunicorn it applies to the',
    'gthread and gevent workers; every tgun worker honours it.',
  ].join('\n'),
});

const maxRequests = defineSetting({
  name: 'maxRequests',
  section: 'Worker Processes',
  gunicorn: 'max_requests',
  cli: { flags: ['--max-requests'], metavar: 'INT' },
  default: 0,
  validate: int({ min: 0 }),
  typeText: 'int',
  summary: 'Restart a worker after it has served this many requests (0 = never).',
  description: [
    'After this many requests a worker stops accepting, finishes its in-flight requests (answering them with',
    '`Connection: close`) and exits, and the arbiter starts a fresh one. A simple guard against memory leaks in',
    'an app or its dependencies. `0`, the default, never recycles. Combine with `maxRequestsJitter` so workers',
    'do not all restart at the same moment.',
  ].join('\n'),
});

const maxRequestsJitter = defineSetting({
  name: 'maxRequestsJitter',
  section: 'Worker Processes',
  gunicorn: 'max_requests_jitter',
  cli: { flags: ['--max-requests-jitter'], metavar: 'INT' },
  default: 0,
  validate: int({ min: 0 }),
  typeText: 'int',
  summary: 'The maximum random number of requests added to maxRequests, per worker.',
  description: [
    'Each worker draws its own limit once, at start: `maxRequests + randomInt(0, maxRequestsJitter)`',
    '(both ends included), so workers started together are recycled at different times. Has no effect when',
    '`maxRequests` is `0`.',
  ].join('\n'),
});

/** The first half of the "Worker Processes" section: pool size and recycling (see `worker-timeouts.ts`). */
export const WORKER_PROCESSES_SETTINGS = [
  workers,
  workerClass,
  threads,
  workerConnections,
  maxRequests,
  maxRequestsJitter,
] as const;
