/**
 * The "Server Hooks" section, first part: hooks around starting the arbiter and booting workers. The rest is
 * in `hooks-running.ts`. Hooks are settings: typed, settable only in a config file, and never absent — each
 * default is a real function (a no-op), so the core calls them unconditionally.
 */
import type { HookSignatures } from '../hooks/types.js';
import { defineSetting, type SettingSpec } from './types.js';
import { hook } from './validators.js';

/** What a hook declaration says besides its name and default. */
export interface HookText {
  /** gunicorn's snake_case name for the hook; absent for tgun's own hooks. */
  readonly gunicorn?: string;
  readonly summary: string;
  readonly description: string;
  /** What the reference shows as the default, for a hook whose default does something ("no-op" otherwise). */
  readonly defaultText?: string;
}

/**
 * Declares the hook setting `name` with `fn` as its default. The default is the hook itself, not a function of
 * the environment: the config engine knows Server Hooks defaults are never called to compute a value.
 */
export function defineHook<const N extends keyof HookSignatures>(
  name: N,
  fn: HookSignatures[N],
  text: HookText,
): SettingSpec<N, HookSignatures[N]> {
  return defineSetting<N, HookSignatures[N]>({
    name,
    section: 'Server Hooks',
    ...(text.gunicorn === undefined ? {} : { gunicorn: text.gunicorn }),
    ...(text.defaultText === undefined ? {} : { defaultText: text.defaultText }),
    default: fn,
    validate: hook<HookSignatures[N]>(),
    typeText: 'function',
    summary: text.summary,
    description: text.description,
  });
}

/** Said of every hook that runs in a worker: the worker has its own copy of the config file's module. */
export const IN_WORKER_NOTE =
  "Each worker loads the config file itself, so the hook sees that worker's copy of the file's module state.";

const onStarting = defineHook('onStarting', function onStarting() {}, {
  gunicorn: 'on_starting',
  summary: 'Called in the arbiter at startup, before the sockets are bound.',
  description: [
    '`onStarting(server)`, in the **arbiter**, once: after the pidfile is written, before signal handlers are',
    'installed, the listening sockets are bound and any worker starts. May be async; tgun waits for it.',
  ].join('\n'),
});

const onReload = defineHook('onReload', function onReload() {}, {
  gunicorn: 'on_reload',
  summary: 'Called in the arbiter on HUP, after the configuration is re-read.',
  description: [
    '`onReload(server)`, in the **arbiter**, on every `HUP`: after the configuration has been read again and',
    'the listeners rebuilt if `bind` changed, before the new workers start. `server.cfg` is the new',
    'configuration. May be async.',
  ].join('\n'),
});

const whenReady = defineHook('whenReady', function whenReady() {}, {
  gunicorn: 'when_ready',
  summary: 'Called in the arbiter once the sockets are bound, before the first workers start.',
  description: [
    '`whenReady(server)`, in the **arbiter**, once: after every listening socket is bound (`server.listeners`',
    'lists them), just before the first workers are started. May be async.',
  ].join('\n'),
});

const preFork = defineHook('preFork', function preFork() {}, {
  gunicorn: 'pre_fork',
  summary: 'Called in the arbiter just before a worker process is started.',
  description: [
    '`preFork(server, worker)`, in the **arbiter**, before each worker process is spawned, including',
    'replacements. `worker` describes the worker about to start (its `age`); its pid is not known yet. The name',
    "is gunicorn's: tgun spawns a new Node process rather than forking. May be async.",
  ].join('\n'),
});

const postFork = defineHook('postFork', function postFork() {}, {
  gunicorn: 'post_fork',
  summary: "Called in a new worker after its 'Booting worker' line, before the app loads.",
  description: [
    '`postFork(server, worker)`, in the **worker**, first thing: after it logs `Booting worker with pid: N`,',
    'before it switches `user`/`group` and loads the app. A place to open per-process resources. `server` is',
    'a read-only view of the arbiter. May be async.',
    '',
    IN_WORKER_NOTE,
  ].join('\n'),
});

const postWorkerInit = defineHook('postWorkerInit', function postWorkerInit() {}, {
  gunicorn: 'post_worker_init',
  summary: 'Called in a worker after the app is loaded, before it starts serving.',
  description: [
    '`postWorkerInit(worker)`, in the **worker**: after the app is loaded and its adapter is ready, before the',
    'worker accepts its first connection and reports itself booted. May be async.',
    '',
    IN_WORKER_NOTE,
  ].join('\n'),
});

const onHttpServer = defineHook('onHttpServer', function onHttpServer() {}, {
  summary: 'Called in a worker with each http.Server it serves, before it listens (attach WebSockets here).',
  description: [
    '`onHttpServer(server)`, in the **worker**, once for every `http.Server` (or `https.Server`) the worker',
    "serves, before the server starts listening: tgun's own servers for a listener app (Express, Koa, a",
    "`(req, res)` function), one per `bind` address, and the app's own server for Fastify, an exported server or",
    'a self-listening app. The place to attach what needs the server itself, such as',
    "`new WebSocketServer({ server })` or socket.io's `new Server(server)`, for an app exported as a listener.",
    'tgun has no HTTP/1 server of its own for HTTP/2 listeners. May be async. See `docs/long-lived.md`.',
    '',
    IN_WORKER_NOTE,
  ].join('\n'),
});

/** The "Server Hooks" section, first part, in reference order. */
export const HOOK_BOOT_SETTINGS = [
  onStarting,
  onReload,
  whenReady,
  preFork,
  postFork,
  postWorkerInit,
  onHttpServer,
] as const;
