/**
 * The worker's access log: one line per finished response, in `accessLogFormat`, to stdout (`-`) or appended
 * to a file. Each line is a single `write(2)` on an `O_APPEND` descriptor, so lines from several workers
 * sharing the file never interleave. Writes are synchronous, as gunicorn's are: a line to the page cache costs
 * less than a thread-pool round trip, and lines stay in request order.
 *
 * A write that fails later (a full disk) is reported once to the error log and the line is dropped: a
 * serving worker never dies over its access log. USR1 reopens the file after logrotate moved it.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { type AccessFormatter, type AccessRecord, compileAccessFormat } from '../logging/access-format.js';
import type { Logger } from '../logging/types.js';

/** An open access log. */
export interface AccessLog {
  /** Formats and writes one record. Never throws. */
  write(record: AccessRecord): void;
  /** Reopens the file at its path (a no-op for stdout). Never throws; failures go to the error log. */
  reopen(): void;
  /** Closes the file; later records are dropped. */
  close(): void;
}

/** Where and how to write. */
export interface AccessLogOptions {
  /** `-` for stdout, else a path (relative to `cwd`). */
  readonly target: string;
  /** gunicorn's `access_log_format` string. */
  readonly format: string;
  readonly cwd: string;
  /** The error log, for write and reopen failures. */
  readonly log: Logger;
}

/** Thrown at boot when the access log cannot be opened; the message names the path and the reason. */
export class AccessLogOpenError extends Error {
  override name = 'AccessLogOpenError';
}

function open(path: string): number {
  try {
    return openSync(path, 'a');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new AccessLogOpenError(`Cannot open the access log ${path} for appending: ${reason}`);
  }
}

/**
 * Opens the access log. Throws {@link AccessLogOpenError} when the file cannot be opened (the worker's boot
 * then fails with that message) and the format's own error when `format` is invalid.
 */
export function openAccessLog(options: AccessLogOptions): AccessLog {
  const format: AccessFormatter = compileAccessFormat(options.format);
  const { log } = options;
  const path = options.target === '-' ? null : resolve(options.cwd, options.target);
  let fd: number | null = path === null ? null : open(path);
  let closed = false;
  // Reported once per file: a full disk would otherwise add an error line per request.
  let failed = false;

  const emit = (line: string) => {
    if (path === null) {
      process.stdout.write(line);
      return;
    }
    if (fd === null) return;
    try {
      writeSync(fd, line);
    } catch (err) {
      if (failed) return;
      failed = true;
      log.error(`Access log write to ${path} failed, dropping lines until it is reopened: ${String(err)}`);
    }
  };

  return {
    write(record) {
      if (closed) return;
      let line: string;
      try {
        line = `${format(record)}\n`;
      } catch (err) {
        log.exception('Failed to format the access log line', err);
        return;
      }
      emit(line);
    },
    reopen() {
      if (path === null || closed) return;
      let next: number;
      try {
        next = openSync(path, 'a');
      } catch (err) {
        log.error(`Cannot reopen the access log ${path}: ${String(err)}`);
        return;
      }
      const previous = fd;
      fd = next;
      failed = false;
      if (previous !== null) closeSync(previous);
    },
    close() {
      closed = true;
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}
