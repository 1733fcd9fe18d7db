/**
 * Putting the control socket file in place. The socket is bound under a private temporary name beside the final
 * path, given its mode, and renamed over the final path. Two reasons: the file is never reachable with a looser
 * mode, and libuv unlinks the name it bound when the handle closes (even at process exit) — after a USR2 the final
 * path belongs to the new master, so the old one must never have bound that name itself.
 */
import { chmodSync, lstatSync, renameSync, rmSync } from 'node:fs';
import type { Server } from 'node:net';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ControlClientError, requestOnce } from './client.js';
import type { StatusData } from './commands.js';
import { checkSocketPathLength } from './paths.js';

/** The control socket cannot be opened; the message says why and what to do. */
export class ControlSocketError extends Error {
  override name = 'ControlSocketError';
  /** The registry code this error should carry once `errors.ts` declares it. */
  readonly code = 'TGUN_ERR_CONTROL_SOCKET';
}

/**
 * What is at `path` now: nothing, or the socket of a dead arbiter (nobody listens). Throws when something live,
 * foreign or not a socket is there: it must not be replaced.
 */
export async function probeExisting(path: string): Promise<'absent' | 'stale'> {
  try {
    if (!lstatSync(path).isSocket()) {
      throw new ControlSocketError(`${path} exists and is not a socket; refusing to replace it`);
    }
  } catch (err) {
    if (err instanceof ControlSocketError) throw err;
    return 'absent';
  }
  try {
    const reply = await requestOnce(path, 'status', undefined, 2000);
    const pid = reply.ok ? (reply.data as StatusData).arbiter?.pid : undefined;
    throw new ControlSocketError(
      `another tgun arbiter${pid ? ` (pid ${pid})` : ''} already answers on the control socket ${path}; ` +
        'stop it, or give this one another --control-socket or --name',
    );
  } catch (err) {
    if (!(err instanceof ControlClientError)) throw err;
    if (err.reason === 'missing') return 'absent';
    if (err.reason === 'refused') return 'stale';
    throw new ControlSocketError(`the control socket ${path} is in use and cannot be replaced: ${err.message}`);
  }
}

function bind(server: Server, path: string, mode: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // bind() runs synchronously inside listen(), so this umask applies to the new file and nothing else.
    let previous: number | null = null;
    try {
      previous = process.umask(0o777 & ~mode);
    } catch {
      // Worker threads cannot change the umask; the chmod below still applies the mode.
    }
    try {
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    } finally {
      if (previous !== null) process.umask(previous);
    }
  });
}

/** Makes `server` listen, reachable at `path` with `mode` (a stale socket there is replaced atomically). */
export async function listenAside(server: Server, path: string, mode: number): Promise<void> {
  const aside = join(dirname(path), `.tgun-${randomBytes(4).toString('hex')}`);
  try {
    checkSocketPathLength(aside);
    await bind(server, aside, mode);
    chmodSync(aside, mode);
    renameSync(aside, path);
  } catch (err) {
    server.close();
    rmSync(aside, { force: true });
    throw new ControlSocketError(`cannot listen on the control socket ${path}: ${(err as Error).message}`);
  }
}
