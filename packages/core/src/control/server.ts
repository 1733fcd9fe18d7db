/**
 * The arbiter's control socket: a unix socket `tgun ctl` talks to. Only the owning user (and root) can connect:
 * the socket is created with `mode` (0600 by default) in a directory that is 0700 when tgun creates it. A leftover
 * socket of a dead arbiter is replaced; one that a live arbiter still answers on is refused. The file is removed on
 * close, but only while it is still this server's (after a USR2 the path belongs to the new master).
 */
import { renameSync, rmSync, statSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { dirname } from 'node:path';
import type { Logger } from '../logging/types.js';
import { CommandRunner } from './commands.js';
import type { ControlHandler } from './handler.js';
import { checkSocketPathLength, prepareSocketDir } from './paths.js';
import { encodeLine, errorReply } from './protocol.js';
import { serveClient } from './session.js';
import { ControlSocketError, listenAside, probeExisting } from './socket-file.js';

export { ControlSocketError } from './socket-file.js';

/** Options of {@link startControlServer}. */
export interface ControlServerOptions {
  readonly path: string;
  /** The socket file's mode (0o600 lets only the owner connect). */
  readonly mode: number;
  readonly log: Logger;
  readonly handler: ControlHandler;
  /** Concurrent clients; one more gets a `busy` reply and is disconnected. Default 8. */
  readonly maxClients?: number;
  /** The directory is tgun's per-user default one: it must be owned by this user and is kept 0700. */
  readonly privateDir?: boolean;
  /** Unread reply bytes per client before it is dropped. Default 1 MiB. */
  readonly maxOutputBytes?: number;
  /** Silent clients are disconnected after this long. Default 60 s; 0 disables. */
  readonly idleTimeoutMs?: number;
}

/** A running control server. */
export interface ControlServer {
  /** Where the socket currently is. */
  readonly path: string;
  /** Moves the socket file (USR2: the old master steps aside to `<path>.oldbin`); connected clients are unaffected. */
  rename(to: string): void;
  /** Stops accepting, lets connected clients receive what was written, and removes the file if it is still ours. */
  close(): Promise<void>;
}

/** Opens the control socket and serves `handler` on it. */
export async function startControlServer(opts: ControlServerOptions): Promise<ControlServer> {
  const { log, mode } = opts;
  const maxClients = opts.maxClients ?? 8;
  let path = opts.path;
  try {
    checkSocketPathLength(path);
    prepareSocketDir(dirname(path), opts.privateDir ?? false);
  } catch (err) {
    throw new ControlSocketError(`cannot create the control socket ${path}: ${(err as Error).message}`);
  }
  const stale = (await probeExisting(path)) === 'stale';

  const runner = new CommandRunner(opts.handler, () => path);
  const clients = new Set<Socket>();
  let closing = false;
  const server = createServer((socket) => {
    if (closing) {
      socket.destroy();
      return;
    }
    if (clients.size >= maxClients) {
      socket.on('error', () => {});
      // Its input is discarded (resume) so the socket sees the client's EOF and closes; a client that keeps the
      // connection open anyway is cut off shortly after.
      socket.resume();
      socket.end(encodeLine(errorReply('busy', `too many control clients (at most ${maxClients}); try again`)));
      setTimeout(() => socket.destroy(), 1000).unref();
      return;
    }
    clients.add(socket);
    socket.once('close', () => clients.delete(socket));
    serveClient(socket, {
      runner,
      log,
      maxOutputBytes: opts.maxOutputBytes ?? 1024 * 1024,
      idleTimeoutMs: opts.idleTimeoutMs ?? 60_000,
    });
  });
  // The control socket must never keep a finished arbiter alive.
  server.unref();
  await listenAside(server, path, mode);
  if (stale) log.info(`Replaced the stale control socket ${path}`);
  const { ino, dev } = statSync(path);
  const ours = () => {
    try {
      const st = statSync(path);
      return st.ino === ino && st.dev === dev;
    } catch {
      return false;
    }
  };
  log.info(`Control socket listening at ${path}`);

  return {
    get path() {
      return path;
    },
    rename(to: string) {
      if (ours()) renameSync(path, to);
      path = to;
    },
    async close() {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const c of clients) c.end();
      const force = setTimeout(() => {
        for (const c of clients) c.destroy();
      }, 1000);
      await closed;
      clearTimeout(force);
      if (ours()) rmSync(path, { force: true });
    },
  };
}
