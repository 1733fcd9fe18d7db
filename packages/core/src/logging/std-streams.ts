/**
 * A closed stdout or stderr must not take a tgun process down, or worse, spin it. When whoever reads a
 * process's output goes away (a terminal closed, `tgun … | head`, a supervisor or test runner that died), the
 * next write fails with EPIPE, which Node reports as an `'error'` event on the stream; with no listener it
 * becomes an uncaught exception. A worker logs an uncaught exception — to the same broken stream — and the
 * failure of that write is the next uncaught exception, queued before any timer can run: the worker loops at
 * full CPU and never reaches its own shutdown. With {@link guardStdStreams}, such errors are swallowed and the
 * stream is marked broken, so later lines are dropped and the process carries on (an orphaned worker then
 * drains and exits as it should).
 */

const broken = new WeakSet<NodeJS.WriteStream>();
let guarded = false;

/** Installs the error listeners on `process.stdout` and `process.stderr`, once per process. */
export function guardStdStreams(): void {
  if (guarded) return;
  guarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    // Output cannot be reported anywhere once its own stream fails; dropping it is all that is left.
    stream.on('error', () => broken.add(stream));
  }
}

/** Writes `text` to `stream` unless that stream has failed before. */
export function writeStd(stream: NodeJS.WriteStream, text: string): void {
  if (broken.has(stream) || stream.destroyed) return;
  stream.write(text);
}
