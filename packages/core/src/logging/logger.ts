/**
 * The error log: lifecycle and error lines in gunicorn's shape, written to stderr (`-`) or appended to a file.
 * Writes are synchronous: the error log is low volume, and a line written just before `process.exit` (a boot
 * failure, a halt) must not be lost. `reopen()` is what USR1 calls after logrotate moved the file.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatLine } from './format.js';
import { LOG_LEVELS, type Logger, type LogLevel } from './types.js';

/** The error log as the arbiter and workers use it. */
export interface ErrorLog extends Logger {
  /** Lines below this level are dropped. */
  readonly level: LogLevel;
  /** The open file's descriptor, or null when logging to stderr. */
  readonly fd: number | null;
  /** Whether `level` would be written. */
  enabled(level: LogLevel): boolean;
  /** Reopens the file (logrotate); a no-op for stderr. */
  reopen(): void;
  /** Closes the file; later lines go to stderr. */
  close(): void;
}

/** Where and what to log. */
export interface ErrorLogOptions {
  /** `-` for stderr, else a file path (relative paths resolve against `cwd`). */
  readonly target: string;
  readonly level: LogLevel;
  readonly cwd?: string;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

/** Opens the error log; throws if a file target cannot be opened for appending. */
export function createErrorLog(options: ErrorLogOptions): ErrorLog {
  const path = options.target === '-' ? null : resolve(options.cwd ?? process.cwd(), options.target);
  let fd: number | null = path === null ? null : openSync(path, 'a');
  const threshold = LOG_LEVELS.indexOf(options.level);

  const write = (line: string) => {
    if (fd === null) {
      process.stderr.write(line);
      return;
    }
    try {
      writeSync(fd, line);
    } catch {
      // A full disk must not take the server down with it; stderr is the last resort.
      process.stderr.write(line);
    }
  };
  const emit = (level: LogLevel, message: string) => {
    if (LOG_LEVELS.indexOf(level) >= threshold) write(formatLine(level, message));
  };

  return {
    level: options.level,
    get fd() {
      return fd;
    },
    enabled: (level) => LOG_LEVELS.indexOf(level) >= threshold,
    debug: (m) => emit('debug', m),
    info: (m) => emit('info', m),
    warning: (m) => emit('warning', m),
    error: (m) => emit('error', m),
    critical: (m) => emit('critical', m),
    exception: (m, error) => emit('error', `${m}\n${errorText(error)}`),
    reopen() {
      if (path === null) return;
      const next = openSync(path, 'a');
      const previous = fd;
      fd = next;
      if (previous !== null) closeSync(previous);
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}
