/** Settings of the "Control" section: the arbiter's control socket, which `tgun ctl` talks to. */
import { defineSetting } from './types.js';
import { bool, octal, optionalString } from './validators.js';

const controlSocket = defineSetting({
  name: 'controlSocket',
  section: 'Control',
  gunicorn: 'control_socket',
  cli: { flags: ['--control-socket'], metavar: 'PATH' },
  default: null,
  defaultText: 'computed: beside the pidfile, else under `$XDG_RUNTIME_DIR/tgun/`, else a per-user temp directory',
  validate: optionalString(),
  typeText: 'string | null',
  summary: 'The unix socket on which the arbiter accepts tgun ctl commands.',
  description: [
    'The arbiter listens on this unix socket for `tgun ctl` (status, worker list, reload, scaling), so an',
    'operator does not need to find its pid and send signals. It is created with `controlSocketMode` and',
    'removed on exit. When not set, tgun picks the first that applies:',
    '',
    '1. with a `pidfile`, a socket in the same directory as the pidfile;',
    '2. with `XDG_RUNTIME_DIR` set (systemd user sessions), `$XDG_RUNTIME_DIR/tgun/<name>.sock`;',
    "3. otherwise `<name>.sock` in a directory only the current user can access under the system's temp",
    '   directory (`os.tmpdir()`).',
    '',
    "`<name>` is the process name (`procName`, else derived from the app). gunicorn's default is",
    '`$XDG_RUNTIME_DIR/gunicorn.ctl`, else `~/.gunicorn/gunicorn.ctl`.',
  ].join('\n'),
});

const controlSocketMode = defineSetting({
  name: 'controlSocketMode',
  section: 'Control',
  gunicorn: 'control_socket_mode',
  cli: { flags: ['--control-socket-mode'], metavar: 'MODE' },
  default: 0o600,
  defaultText: '`0o600`',
  validate: octal,
  typeText: 'int',
  summary: 'The file mode of the control socket (octal, as 0600 or 0o600).',
  description: [
    'Who may connect to the control socket, as a file mode: the default `0o600` allows only the owner;',
    '`0o660` also allows the group. A leading `0` or `0o` means octal, as with `umask`.',
  ].join('\n'),
});

const controlSocketDisable = defineSetting({
  name: 'controlSocketDisable',
  section: 'Control',
  gunicorn: 'control_socket_disable',
  cli: { flags: ['--no-control-socket'], switch: true },
  default: false,
  validate: bool,
  typeText: 'boolean',
  summary: 'Do not create the control socket.',
  description: 'The arbiter opens no control socket; `tgun ctl` cannot reach it, and signals remain the only control.',
});

/** The "Control" section, in reference order. */
export const CONTROL_SETTINGS = [controlSocket, controlSocketMode, controlSocketDisable] as const;
