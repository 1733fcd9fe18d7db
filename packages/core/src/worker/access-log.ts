/**
 * The worker's access log: one line per finished response, in `accessLogFormat` (or one JSON object per line),
 * to stdout (`-`), appended to files, and to syslog. Each file line is a single `write(2)` on an `O_APPEND`
 * descriptor, so lines from several workers sharing the file never interleave. Writes are synchronous, as
 * gunicorn's are: a line to the page cache costs less than a thread-pool round trip, and lines stay in order.
 *
 * Destinations come from the error log's {@link AccessPlan} when it carries one (`openLogs` resolved them from
 * `accessLog`, `syslog` and `logConfigJson`), else from `target`. A write that fails later (a full disk) is
 * reported once to the error log and the line is dropped: a serving worker never dies over its access log.
 * USR1 reopens the files after logrotate moved them.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { accessJsonLine } from '../logging/access-json.js';
import { writeStd } from '../logging/std-streams.js';
import { type AccessFormatter, type AccessRecord, compileAccessFormat } from '../logging/access-format.js';
import type { ErrorLog } from '../logging/logger.js';
import type { Syslog } from '../logging/syslog.js';
import type { Logger } from '../logging/types.js';

/** An open access log. */
export interface AccessLog {
  /** Formats and writes one record. Never throws. */
  write(record: AccessRecord): void;
  /** Reopens the files (a no-op for stdout). Never throws; failures go to the error log. */
  reopen(): void;
  /** Closes the files; later records are dropped. */
  close(): void;
}

/** Where and how to write. */
export interface AccessLogOptions {
  /** `-` for stdout, else a path (relative to `cwd`); used when `log` carries no access plan. */
  readonly target: string;
  /** gunicorn's `access_log_format` string. */
  readonly format: string;
  readonly cwd: string;
  /** The error log, for write and reopen failures, and (when built by `openLogs`) the destinations. */
  readonly log: Logger | ErrorLog;
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

/** One access-log file, reopened in place; a failing write is reported once until the next reopen. */
class AccessFile {
  fd: number | null;
  failed = false;
  constructor(
    readonly path: string,
    private readonly log: Logger,
  ) {
    this.fd = open(path);
  }
  write(line: string): void {
    if (this.fd === null) return;
    try {
      writeSync(this.fd, line);
    } catch (err) {
      if (this.failed) return;
      this.failed = true;
      this.log.error(`Access log write to ${this.path} failed, dropping lines until it is reopened: ${String(err)}`);
    }
  }
  reopen(): void {
    let next: number;
    try {
      next = openSync(this.path, 'a');
    } catch (err) {
      this.log.error(`Cannot reopen the access log ${this.path}: ${String(err)}`);
      return;
    }
    const previous = this.fd;
    this.fd = next;
    this.failed = false;
    if (previous !== null) closeSync(previous);
  }
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

function planOf(log: Logger | ErrorLog): ErrorLog['access'] {
  return 'access' in log ? log.access : null;
}

/**
 * Whether access lines go anywhere: the error log's resolved plan decides when it carries one (`accessLog`,
 * syslog and `logConfigJson` together, see `openLogs`), else whether `target` is set.
 */
export function accessLogWanted(target: string | null, log: Logger | ErrorLog): boolean {
  const plan = planOf(log);
  return plan ? plan.to.length > 0 : target !== null && target !== '';
}

/**
 * Opens the access log. Throws {@link AccessLogOpenError} when a file cannot be opened (the worker's boot
 * then fails with that message) and the format's own error when `format` is invalid.
 */
export function openAccessLog(options: AccessLogOptions): AccessLog {
  const { log } = options;
  const plan = planOf(log);
  const to = plan?.to ?? [options.target];
  const json = plan?.format === 'json';
  const format: AccessFormatter | null = json ? null : compileAccessFormat(options.format);
  const toStdout = to.includes('-');
  const syslog: Syslog | null = to.includes('syslog') && 'syslog' in log ? log.syslog : null;
  const files: AccessFile[] = [];
  try {
    for (const t of to) if (t !== '-' && t !== 'syslog') files.push(new AccessFile(resolve(options.cwd, t), log));
  } catch (err) {
    for (const f of files) f.close();
    throw err;
  }
  let closed = false;

  return {
    write(record) {
      if (closed) return;
      let line: string;
      try {
        line = format === null ? accessJsonLine(record) : `${format(record)}\n`;
      } catch (err) {
        log.exception('Failed to format the access log line', err);
        return;
      }
      if (toStdout) writeStd(process.stdout, line);
      for (const f of files) f.write(line);
      syslog?.send('access', 'info', line.slice(0, -1));
    },
    reopen() {
      if (closed) return;
      for (const f of files) f.reopen();
    },
    close() {
      closed = true;
      for (const f of files) f.close();
    },
  };
}
