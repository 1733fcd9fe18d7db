/**
 * The error log: lifecycle and error lines in gunicorn's shape (or one JSON object per line), written to
 * stderr (`-`), appended to files, and sent to syslog. Writes are synchronous: the error log is low volume, and
 * a line written just before `process.exit` (a boot failure, a halt) must not be lost. `reopen()` is what USR1
 * calls after logrotate moved the files.
 */
import { formatLine } from './format.js';
import type { LogFormat } from './log-config.js';
import { type LineSink, openSink } from './sink.js';
import type { Syslog } from './syslog.js';
import { LOG_LEVELS, type Logger, type LogLevel } from './types.js';

/** Levels gunicorn's StatsD logger counts as `log.<level>`. */
export type CountedLevel = 'critical' | 'error' | 'warning' | 'exception';

/** Where the access log goes, resolved with the error log so both read one configuration. */
export interface AccessPlan {
  /** `-` (stdout), file paths and `syslog`; empty when there is no access log. */
  readonly to: readonly string[];
  readonly format: LogFormat;
}

/** The error log as the arbiter and workers use it. */
export interface ErrorLog extends Logger {
  /** Lines below this level are dropped. */
  readonly level: LogLevel;
  readonly format: LogFormat;
  /** The first file's descriptor, or null when no file is written. */
  readonly fd: number | null;
  /** The syslog destination, shared with the access log; null when syslog is off. */
  readonly syslog: Syslog | null;
  /** The access log's destinations, when they were resolved with this log (see `openLogs`). */
  readonly access: AccessPlan | null;
  /** Whether `level` would be written. */
  enabled(level: LogLevel): boolean;
  /** Writes a line a worker printed itself (`--capture-output`) to the files, as is or wrapped in JSON. */
  captured(line: string, pid: number, stream: 'stdout' | 'stderr'): void;
  /** Calls `count` for every line at a {@link CountedLevel} (the StatsD `log.<level>` counters). */
  countWith(count: (level: CountedLevel) => void): void;
  /** Reopens the files (logrotate); a no-op for stderr. */
  reopen(): void;
  /** Closes the files and syslog; later lines go to stderr. */
  close(): void;
}

/** Where and what to log. */
export interface ErrorLogOptions {
  /** `-` for stderr, else a file path (relative paths resolve against `cwd`). Ignored when `to` is given. */
  readonly target: string;
  readonly level: LogLevel;
  readonly cwd?: string;
  /** `text` (default) or `json`. */
  readonly format?: LogFormat;
  /** Destinations: `-`, file paths; `syslog` entries are served by `syslog`. Overrides `target`. */
  readonly to?: readonly string[];
  /** Shared with the access log; closed with this log. */
  readonly syslog?: Syslog | null;
  /** Whether error lines go to `syslog` too (default true); false when only the access log uses it. */
  readonly syslogErrors?: boolean;
  readonly access?: AccessPlan | null;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

/** One JSON object per line, the shape log shippers parse without a grok pattern. */
export function jsonLine(logger: string, level: LogLevel, message: string, pid = process.pid): string {
  return `${JSON.stringify({ time: new Date().toISOString(), level, pid, logger, message })}\n`;
}

/** Opens the error log; throws if a file destination cannot be opened for appending. */
export function createErrorLog(options: ErrorLogOptions): ErrorLog {
  const cwd = options.cwd ?? process.cwd();
  const format = options.format ?? 'text';
  const targets = (options.to ?? [options.target]).filter((t) => t !== 'syslog');
  const sinks: LineSink[] = [];
  try {
    for (const t of targets) sinks.push(openSink(t, cwd, 'stderr'));
  } catch (err) {
    for (const s of sinks) s.close();
    throw err;
  }
  const syslog = options.syslog ?? null;
  const errorsToSyslog = (options.syslogErrors ?? true) ? syslog : null;
  const threshold = LOG_LEVELS.indexOf(options.level);
  let count: (level: CountedLevel) => void = () => {};

  const write = (lines: string) => {
    for (const s of sinks) s.write(lines);
  };
  const emit = (level: LogLevel, message: string, counted: CountedLevel | null) => {
    if (counted !== null) count(counted);
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    write(format === 'json' ? jsonLine('tgun.error', level, message) : formatLine(level, message));
    errorsToSyslog?.send('error', level, message);
  };

  return {
    level: options.level,
    format,
    get fd() {
      return sinks.find((s) => s.fd !== null)?.fd ?? null;
    },
    syslog,
    access: options.access ?? null,
    enabled: (level) => LOG_LEVELS.indexOf(level) >= threshold,
    debug: (m) => emit('debug', m, null),
    info: (m) => emit('info', m, null),
    warning: (m) => emit('warning', m, 'warning'),
    error: (m) => emit('error', m, 'error'),
    critical: (m) => emit('critical', m, 'critical'),
    exception: (m, error) => emit('error', `${m}\n${errorText(error)}`, 'exception'),
    captured(line, pid, stream) {
      const text = line.endsWith('\n') ? line : `${line}\n`;
      if (format === 'text') write(text);
      else
        write(
          `${JSON.stringify({ time: new Date().toISOString(), pid, logger: `tgun.${stream}`, message: text.slice(0, -1) })}\n`,
        );
    },
    countWith(counter) {
      count = counter;
    },
    reopen() {
      for (const s of sinks) s.reopen();
    },
    close() {
      for (const s of sinks) s.close();
      syslog?.close();
    },
  };
}
