/** Settings of the "Debugging" section: code reloading during development and configuration checks. */
import { defineSetting } from './types.js';
import { bool, string } from './validators.js';
import { choice, verbatimList } from './validators-extra.js';

const reload = defineSetting({
  name: 'reload',
  section: 'Debugging',
  gunicorn: 'reload',
  cli: { flags: ['--reload'], switch: true },
  default: false,
  validate: bool,
  typeText: 'boolean',
  summary: 'Restart workers when their code changes (development only).',
  description: [
    'Each worker watches the source files it has loaded (CommonJS and ESM modules, `node_modules` excluded)',
    'plus `reloadExtraFiles`. When one changes, the worker logs `Worker reloading: <file> modified`, runs the',
    '`workerInt` hook and exits, and the arbiter starts a fresh one that loads the new code. Every worker logs',
    '`Reloader is on. Use in development only!`.',
    '',
    "Combined with `preloadApp` the arbiter's copy of the app is not reloaded. For production code updates use",
    '`HUP` (or `USR2` for a new tgun version) instead.',
  ].join('\n'),
});

const reloadEngine = defineSetting({
  name: 'reloadEngine',
  section: 'Debugging',
  gunicorn: 'reload_engine',
  cli: { flags: ['--reload-engine'], metavar: 'ENGINE' },
  default: 'auto' as const,
  validate: choice(['auto', 'poll', 'inotify']),
  typeText: "'auto' | 'poll' | 'inotify'",
  summary: "How --reload notices changes: 'auto', 'poll' or 'inotify'.",
  description: [
    '- `auto`: file-system events through `fs.watch` (inotify on Linux, FSEvents/kqueue on macOS);',
    '- `poll`: `fs.watchFile` stat polling about once a second, for file systems that deliver no events',
    '  (some network and container mounts);',
    "- `inotify`: as `auto`, named after gunicorn's Linux-only engine; it needs no extra package on Node.",
  ].join('\n'),
});

const reloadExtraFiles = defineSetting({
  name: 'reloadExtraFiles',
  section: 'Debugging',
  gunicorn: 'reload_extra_files',
  cli: { flags: ['--reload-extra-file'], metavar: 'FILE', repeat: true },
  default: [],
  validate: verbatimList(string({ nonEmpty: true })),
  typeText: 'string[]',
  summary: 'Extra files to watch with --reload; repeat the flag for several.',
  description: [
    'Files that restart the workers when they change, in addition to the modules the app loaded: templates,',
    'JSON read with `fs`, `.env` files. Relative paths resolve against `chdir`. Only used with `reload`.',
  ].join('\n'),
});

const spew = defineSetting({
  name: 'spew',
  section: 'Debugging',
  gunicorn: 'spew',
  cli: { flags: ['--spew'], switch: true },
  default: false,
  validate: bool,
  typeText: 'boolean',
  summary: 'No meaning on Node; use --inspect or NODE_DEBUG instead.',
  description: [
    'In gunicorn, installs a trace function that prints every executed line of Python. Node has no equivalent',
    'line tracer, so this switch is accepted and ignored. To see what a worker does, start tgun with',
    "`NODE_OPTIONS='--inspect=0'` and attach a debugger (each process gets its own port), set",
    '`NODE_DEBUG=http,net` for core-module tracing, or profile with `--cpu-prof`.',
  ].join('\n'),
});

const checkConfig = defineSetting({
  name: 'checkConfig',
  section: 'Debugging',
  gunicorn: 'check_config',
  cli: { flags: ['--check-config'], switch: true },
  default: false,
  validate: bool,
  typeText: 'boolean',
  summary: 'Check the configuration and that the app loads, then exit (0 when valid, 1 otherwise).',
  description: [
    'Reads every configuration layer, reports all problems together, loads the app in the current process,',
    'and exits with status 0 if everything is valid or 1 if not. Binds no socket, writes no pidfile and starts',
    'no worker: run it before a `HUP` to avoid reloading into a broken app.',
  ].join('\n'),
});

const printConfig = defineSetting({
  name: 'printConfig',
  section: 'Debugging',
  gunicorn: 'print_config',
  cli: { flags: ['--print-config'], switch: true },
  default: false,
  validate: bool,
  typeText: 'boolean',
  summary: 'Print the resolved configuration, then check it as --check-config does.',
  description: [
    'Prints every setting as `name = value`, sorted and aligned as gunicorn does, after all layers are applied,',
    'then behaves as `checkConfig`.',
  ].join('\n'),
});

/** The "Debugging" section, in reference order. */
export const DEBUGGING_SETTINGS = [reload, reloadEngine, reloadExtraFiles, spew, checkConfig, printConfig] as const;
