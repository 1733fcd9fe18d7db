/**
 * The "Server Mechanics" section, first part: how tgun's processes start and what identity, directory and
 * environment they run with. Proxy trust, the rest of the section, is in `proxy-trust.ts`.
 */
import { defineSetting } from './types.js';
import { bool, octal, optionalString } from './validators.js';
import { choice, directory, envAssignment, nullable, userOrId, verbatimList } from './validators-extra.js';

const preloadApp = defineSetting({
  name: 'preloadApp',
  section: 'Server Mechanics',
  gunicorn: 'preload_app',
  cli: { flags: ['--preload'], switch: true },
  default: false,
  validate: bool,
  typeText: 'boolean',
  summary: 'Load the app in the arbiter before starting workers, so a broken app fails at once.',
  description: [
    'The arbiter loads the app once, before it binds or starts any worker. An app that cannot be loaded then',
    'stops tgun right away with its error, instead of after every worker has failed to boot.',
    '',
    "**What it does not do on Node:** gunicorn forks workers from the master, so a preloaded app's memory is",
    "shared copy-on-write with every worker. Node cannot fork a running process; tgun's workers are new",
    'processes that load the app again, so nothing is shared and nothing opened at load time (database pools,',
    "files) is inherited. The arbiter's copy of the app also survives a `HUP`; `USR2` replaces it.",
  ].join('\n'),
});

const sendfile = defineSetting({
  name: 'sendfile',
  section: 'Server Mechanics',
  gunicorn: 'sendfile',
  cli: { flags: ['--no-sendfile'], switch: true, constValue: false },
  default: true,
  validate: bool,
  typeText: 'boolean',
  summary: 'No effect on Node: its HTTP server does not use sendfile(2).',
  description: [
    "In gunicorn, `--no-sendfile` stops `wsgi.file_wrapper` responses from using `sendfile(2)`. Node's HTTP",
    'server writes every response body, static files included, through the socket from user space, so there',
    'is nothing to turn off; the flag is accepted for compatibility.',
  ].join('\n'),
});

const reusePort = defineSetting({
  name: 'reusePort',
  section: 'Server Mechanics',
  gunicorn: 'reuse_port',
  cli: { flags: ['--reuse-port'], switch: true },
  default: false,
  validate: bool,
  typeText: 'boolean',
  summary: 'Set SO_REUSEPORT on the listening sockets.',
  description: [
    'Lets other processes bind the same address and port while tgun holds it. Node exposes `SO_REUSEPORT`',
    'only from 22.12 and 23.1; on older Node it cannot be set.',
    '',
    'Unlike gunicorn 24 and later, tgun does not give each worker its own socket when this is on: all workers',
    "keep sharing the arbiter's sockets and one kernel accept queue. Per-worker queues lose the connections",
    'queued on a worker that exits, which would break zero-downtime reloads.',
  ].join('\n'),
});

const connectionBalance = defineSetting({
  name: 'connectionBalance',
  section: 'Server Mechanics',
  cli: { flags: ['--connection-balance'], metavar: 'STRATEGY' },
  default: 'off' as const,
  validate: choice(['off', 'fair-share']),
  typeText: "'off' | 'fair-share'",
  summary: 'Keep a burst of connections evenly spread across workers (off, fair-share).',
  description: [
    'Workers share one kernel accept queue, and the kernel hands each connection to whichever worker polls',
    'first; a burst of keep-alive or WebSocket connections can land mostly on one worker (splits like 46/4 over',
    'two workers). With `fair-share`, each worker stops accepting while it holds its fair share,',
    '`ceil(mean × 1.1) + 4` connections and at least 16 (the mean is over the workers that are accepting), so',
    'the others take the next connections from the shared queue. Workers report their count to the arbiter only',
    'when it has moved by 4, and the arbiter tells the others; it never accepts a connection or sits on the',
    'request path. A paused worker resumes when its count falls, when the share rises, or after 5 s without news',
    'from the arbiter.',
    '',
    '`off`, the default, leaves the spread to the kernel: on the 2-core bench machine `fair-share` cost 4–20% of',
    'short-request throughput (medians; single rounds varied by ±20%), so turn it on where connections are',
    'long-lived (WebSockets, event streams, HTTP/2). See `bench/README.md`, "Connection spread", for figures.',
  ].join('\n'),
});

const chdir = defineSetting({
  name: 'chdir',
  section: 'Server Mechanics',
  gunicorn: 'chdir',
  cli: { flags: ['--chdir'], metavar: 'DIR' },
  default: (): string => process.cwd(),
  defaultText: 'the current directory',
  validate: directory,
  typeText: 'string',
  summary: 'Change to this directory before loading the app.',
  description: [
    'tgun changes into this directory before loading the app, in the arbiter and in every worker; the app',
    'module and other relative paths resolve from it. It must exist. Relative values are taken from the',
    'directory tgun was started in.',
  ].join('\n'),
});

const daemon = defineSetting({
  name: 'daemon',
  section: 'Server Mechanics',
  gunicorn: 'daemon',
  cli: { flags: ['-D', '--daemon'], switch: true },
  default: false,
  validate: bool,
  typeText: 'boolean',
  summary: 'Detach from the terminal and run in the background.',
  description: [
    'The arbiter detaches into its own session with standard input and output on `/dev/null` (unless',
    '`enableStdioInheritance`), and the command returns at once. Node cannot `fork()`, so tgun starts a',
    "detached copy of itself where gunicorn double-forks; the pidfile holds the background arbiter's pid.",
    '',
    'Leave it off under systemd, supervisor, Docker or Kubernetes: they expect the process in the foreground.',
  ].join('\n'),
});

const rawEnv = defineSetting({
  name: 'rawEnv',
  section: 'Server Mechanics',
  gunicorn: 'raw_env',
  cli: { flags: ['-e', '--env'], metavar: 'KEY=VALUE', repeat: true },
  default: [],
  validate: verbatimList(envAssignment),
  typeText: 'string[]',
  summary: 'Set an environment variable in the arbiter and the workers; repeat for several.',
  description: [
    'Each `KEY=VALUE` is set in `process.env` of the arbiter and of every worker before the app loads; the value',
    'may be empty and may contain `=` or commas. An item without `=` is an error. Example:',
    '`tgun -e NODE_ENV=production -e DEBUG=app:* app.mjs:app`. gunicorn: `raw_env`.',
  ].join('\n'),
});

const pidfile = defineSetting({
  name: 'pidfile',
  section: 'Server Mechanics',
  gunicorn: 'pidfile',
  cli: { flags: ['-p', '--pid'], metavar: 'FILE' },
  default: null,
  validate: optionalString(),
  typeText: 'string | null',
  summary: "A file to write the arbiter's pid to.",
  description: [
    "The arbiter writes its pid to this file and removes it when it exits. A file holding a live process's pid",
    'stops tgun from starting (`Already running on PID …`); a stale one is replaced. During a `USR2` upgrade',
    'the old arbiter renames its pidfile with an `.oldbin` suffix. `null`: no pidfile.',
  ].join('\n'),
});

const workerTmpDir = defineSetting({
  name: 'workerTmpDir',
  section: 'Server Mechanics',
  gunicorn: 'worker_tmp_dir',
  cli: { flags: ['--worker-tmp-dir'], metavar: 'DIR' },
  default: null,
  validate: optionalString(),
  typeText: 'string | null',
  summary: 'No effect on tgun: worker heartbeats travel over IPC, not through files.',
  description: [
    'In gunicorn, the directory for the heartbeat files workers touch (often set to `/dev/shm` because a slow',
    "disk stalls them). tgun's workers send their heartbeat to the arbiter over the IPC channel, so no file is",
    'created and this setting is accepted for compatibility only.',
  ].join('\n'),
});

const userDescription = (what: string, call: string): string =>
  [
    `Workers switch to this ${what} (a name or a numeric id) with \`${call}\` when they start, before the app`,
    'loads. The arbiter keeps its own identity, so it can still bind privileged ports and re-execute itself.',
    `Switching needs tgun to be started as root. \`null\`: the ${what} tgun was started as.`,
  ].join('\n');

const user = defineSetting({
  name: 'user',
  section: 'Server Mechanics',
  gunicorn: 'user',
  cli: { flags: ['-u', '--user'], metavar: 'USER' },
  default: null,
  validate: nullable(userOrId),
  typeText: 'string | number | null',
  summary: 'Switch worker processes to this user.',
  description: userDescription('user', 'process.setuid()'),
});

const group = defineSetting({
  name: 'group',
  section: 'Server Mechanics',
  gunicorn: 'group',
  cli: { flags: ['-g', '--group'], metavar: 'GROUP' },
  default: null,
  validate: nullable(userOrId),
  typeText: 'string | number | null',
  summary: 'Switch worker processes to this group.',
  description: userDescription('group', 'process.setgid()'),
});

const umask = defineSetting({
  name: 'umask',
  section: 'Server Mechanics',
  gunicorn: 'umask',
  cli: { flags: ['-m', '--umask'], metavar: 'INT' },
  default: 0,
  validate: octal,
  typeText: 'int',
  summary: 'The file mode creation mask applied while creating unix sockets.',
  description: [
    'Applied around the creation of the unix-domain sockets named in `bind`, not to the whole process, as in',
    'gunicorn: `-m 007` makes them reachable by the group. A leading `0` or `0o` means octal (`0022` is 18);',
    'a plain number is decimal.',
  ].join('\n'),
});

const initgroups = defineSetting({
  name: 'initgroups',
  section: 'Server Mechanics',
  gunicorn: 'initgroups',
  cli: { flags: ['--initgroups'], switch: true },
  default: false,
  validate: bool,
  typeText: 'boolean',
  summary: 'Give workers the supplementary groups of the user they switch to.',
  description: [
    "With `user` set, workers call `process.initgroups(user, group)` before switching, so they get that user's",
    'supplementary groups from `/etc/group`. Without it, as in gunicorn, workers only change their uid and gid',
    'and keep the supplementary groups of the process that started tgun.',
  ].join('\n'),
});

/** The "Server Mechanics" section, first part, in reference order. */
export const SERVER_MECHANICS_SETTINGS = [
  preloadApp,
  sendfile,
  reusePort,
  connectionBalance,
  chdir,
  daemon,
  rawEnv,
  pidfile,
  workerTmpDir,
  user,
  group,
  umask,
  initgroups,
] as const;
