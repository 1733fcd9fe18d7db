/**
 * Every error tgun reports to a user has a stable code, declared once here and documented in
 * `docs/reference/errors.md` (generated; a test fails when it drifts). Codes are never reused.
 */

/** Exit statuses of the `tgun` command, as gunicorn's. */
export const EXIT = {
  ok: 0,
  /** Bad configuration, failed check, pidfile conflict, bind failure. */
  config: 1,
  /** Command-line usage error. */
  usage: 2,
  /** A worker failed to boot (gunicorn: 3). */
  workerBoot: 3,
  /** The application failed to load (gunicorn: 4). */
  appLoad: 4,
} as const;

/** The error registry: code → exit status and what it means. */
export const ERROR_CODES = {
  TGUN_ERR_CONFIG_INVALID: {
    exit: EXIT.config,
    summary: 'One or more settings have invalid values; every problem is listed with the layer it came from.',
  },
  TGUN_ERR_UNKNOWN_SETTING: {
    exit: EXIT.config,
    summary: 'A config file, TGUN_CMD_ARGS or a framework layer names a setting tgun does not have.',
  },
  TGUN_ERR_USAGE: {
    exit: EXIT.usage,
    summary: 'The command line has an unknown flag, a flag without its value, or more than one application.',
  },
  TGUN_ERR_CONFIG_FILE: {
    exit: EXIT.config,
    summary: 'The config file is missing, has a syntax error, or threw while it was loaded.',
  },
  TGUN_ERR_NO_APP: {
    exit: EXIT.config,
    summary: 'No application was given: pass MODULE[:VARIABLE] or set `app` in the config file.',
  },
  TGUN_ERR_APP_LOAD: {
    exit: EXIT.appLoad,
    summary: 'The application module could not be imported, or the named export is missing or not servable.',
  },
  TGUN_ERR_WORKER_BOOT: {
    exit: EXIT.workerBoot,
    summary: 'A worker failed to boot; the arbiter halts instead of respawning in a loop.',
  },
  TGUN_ERR_BIND: {
    exit: EXIT.config,
    summary: 'A listening address could not be bound after retrying (in use, permission denied, bad path).',
  },
  TGUN_ERR_PIDFILE: { exit: EXIT.config, summary: 'The pidfile names a live process, or cannot be written.' },
  TGUN_ERR_CONTROL_SOCKET: {
    exit: EXIT.config,
    summary: 'The control socket path is taken by a live arbiter, is not a socket, or belongs to another user.',
  },
} as const;

/** One of the registered codes. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** An error a user can act on: carries its code and the exit status it maps to. */
export class TgunError extends Error {
  override name = 'TgunError';
  readonly code: ErrorCode;
  readonly exitCode: number;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.exitCode = ERROR_CODES[code].exit;
  }
}
