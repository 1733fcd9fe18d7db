/**
 * `--capture-output`: what a worker prints itself (console.log, process.stdout.write, Node's warnings, a
 * crash's stack trace) reaches the error log file as whole lines.
 *
 * gunicorn `dup2`s the log file onto each worker's stdout and stderr. That breaks with logrotate: USR1 makes
 * the master and workers reopen their *log* files, but a descriptor dup'ed onto fd 1 and 2 keeps pointing at
 * the moved file, and Node cannot `dup2`. So the arbiter gives each worker pipes instead and writes what comes
 * out through its own error log, one whole line per write: lines from several workers never interleave, a
 * partial line waits for its end, and after USR1 the lines go to the reopened file. Output from native code
 * and from Node's own fatal-error printer is captured too, which an in-process redirect could not do.
 */
import type { Readable } from 'node:stream';
import type { ErrorLog } from './logger.js';

/** Longest partial line kept waiting for its newline; past it, the text is written as a line of its own. */
const MAX_PENDING = 1024 * 1024;

/**
 * Copies `stream` (a worker's stdout or stderr pipe) into the error log line by line. `log` is read per chunk,
 * so a log replaced by a reload is used at once. The last unterminated line is written when the stream ends.
 */
export function captureLines(stream: Readable, log: () => ErrorLog, pid: number, name: 'stdout' | 'stderr'): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const text = pending + chunk;
    const end = text.lastIndexOf('\n');
    if (end === -1) {
      pending = text;
    } else {
      pending = text.slice(end + 1);
      const target = log();
      for (const line of text.slice(0, end).split('\n')) target.captured(line, pid, name);
    }
    if (pending.length > MAX_PENDING) {
      log().captured(pending, pid, name);
      pending = '';
    }
  });
  stream.on('end', () => {
    if (pending !== '') log().captured(pending, pid, name);
    pending = '';
  });
  // A worker killed mid-write leaves a broken pipe behind; that is the worker's exit to report, not ours.
  stream.on('error', () => {});
}
