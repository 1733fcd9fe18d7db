/**
 * Where log lines land: a file opened for appending, or the process's stdout/stderr. File writes are
 * synchronous `write(2)` calls on an `O_APPEND` descriptor, one call per line, so lines from several processes
 * sharing a file never interleave, and a line written just before `process.exit` is not lost.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { guardStdStreams, writeStd } from './std-streams.js';

/** One destination for whole lines. */
export interface LineSink {
  /** The file's path, or `-` for a standard stream. */
  readonly target: string;
  /** The open file's descriptor; null for a standard stream or a closed file. */
  readonly fd: number | null;
  /** Writes one or more complete lines (newlines included). Never throws. */
  write(lines: string): void;
  /** Opens the path again (logrotate moved the file); a no-op for a standard stream. Throws if it cannot. */
  reopen(): void;
  /** Closes the file; later lines go to stderr. */
  close(): void;
}

/**
 * Opens `target` for appending (relative to `cwd`), or returns a sink over `std` for `-`. Throws when the
 * file cannot be opened, so a bad path fails at start rather than at the first line.
 */
export function openSink(target: string, cwd: string, std: 'stdout' | 'stderr'): LineSink {
  guardStdStreams();
  if (target === '-') {
    const stream = std === 'stdout' ? process.stdout : process.stderr;
    return { target, fd: null, write: (lines) => writeStd(stream, lines), reopen() {}, close() {} };
  }
  const path = resolve(cwd, target);
  let fd: number | null = openSync(path, 'a');
  return {
    target: path,
    get fd() {
      return fd;
    },
    write(lines) {
      if (fd === null) {
        writeStd(process.stderr, lines);
        return;
      }
      try {
        writeSync(fd, lines);
      } catch {
        // A full disk must not take the server down with it; stderr is the last resort.
        writeStd(process.stderr, lines);
      }
    },
    reopen() {
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
