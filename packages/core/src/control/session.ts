/**
 * One control client's connection: split its input into lines, answer each, and make sure it can never hold the
 * arbiter up. Replies are written without waiting for the client to read them; a client whose unread output
 * grows past a cap, or that stays silent too long, is dropped.
 */
import type { Socket } from 'node:net';
import type { Logger } from '../logging/types.js';
import type { CommandRunner } from './commands.js';
import {
  type Command,
  type ControlReply,
  encodeLine,
  errorReply,
  FATAL_ERRORS,
  MAX_LINE_BYTES,
  parseRequest,
} from './protocol.js';

/** Limits and collaborators of a session. */
export interface SessionOptions {
  readonly runner: CommandRunner;
  readonly log: Logger;
  /** Unread reply bytes a client may accumulate before it is dropped. */
  readonly maxOutputBytes: number;
  /** A client that sends nothing for this long is disconnected (0 disables). */
  readonly idleTimeoutMs: number;
}

const NEWLINE = 0x0a;
const ACTIONS: ReadonlySet<Command> = new Set(['reload', 'scale', 'stop', 'reopen-logs']);

/** Serves `socket` until either side closes it. */
export function serveClient(socket: Socket, opts: SessionOptions): void {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let finished = false;

  const send = (reply: ControlReply): boolean => {
    if (finished || socket.destroyed) return false;
    socket.write(encodeLine(reply));
    if (socket.writableLength > opts.maxOutputBytes) {
      opts.log.warning(`Control client dropped: it stopped reading (${socket.writableLength} bytes unread)`);
      finished = true;
      socket.destroy();
      return false;
    }
    return true;
  };
  const finish = (reply: ControlReply) => {
    send(reply);
    finished = true;
    socket.end();
  };
  const handleLine = (bytes: Buffer) => {
    const text = bytes.toString('utf8').replace(/\r$/, '');
    if (text.trim() === '') return;
    const parsed = parseRequest(text);
    if (!parsed.ok) {
      opts.log.debug(`Control request refused: ${parsed.reply.error.message}`);
      finish(parsed.reply);
      return;
    }
    const { request } = parsed;
    const reply = opts.runner.run(request);
    // Actions change the server, so they leave a trace in the error log as signals do (`Handling signal: hup`).
    if (reply.ok && ACTIONS.has(request.cmd)) {
      opts.log.info(`Control request: ${request.cmd}${request.args ? ` ${JSON.stringify(request.args)}` : ''}`);
    }
    if (!reply.ok && FATAL_ERRORS.has(reply.error.code)) finish(reply);
    else send(reply);
  };

  socket.on('data', (chunk: Buffer) => {
    let rest = chunk;
    while (!finished) {
      const nl = rest.indexOf(NEWLINE);
      const partBytes = nl === -1 ? rest.length : nl;
      if (pendingBytes + partBytes > MAX_LINE_BYTES) {
        finish(errorReply('line-too-long', `a request line may be at most ${MAX_LINE_BYTES} bytes`));
        return;
      }
      if (nl === -1) {
        if (rest.length > 0) pending.push(rest);
        pendingBytes += rest.length;
        return;
      }
      const line = pending.length === 0 ? rest.subarray(0, nl) : Buffer.concat([...pending, rest.subarray(0, nl)]);
      pending = [];
      pendingBytes = 0;
      rest = rest.subarray(nl + 1);
      handleLine(line);
    }
  });
  if (opts.idleTimeoutMs > 0) {
    socket.setTimeout(opts.idleTimeoutMs, () => {
      opts.log.debug('Control client disconnected: idle');
      socket.destroy();
    });
  }
  // EPIPE and ECONNRESET from a client that went away are not the arbiter's problem; 'close' follows.
  socket.on('error', () => {});
}
