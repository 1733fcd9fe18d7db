/**
 * Unix socket files: replacing a stale one before binding, binding under `--umask`, handing the file to the
 * worker user, and removing it on the final exit (never on a USR2 hand-over, whose new master still uses it).
 */
import { chownSync, lstatSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Removes a leftover socket file at `path`; refuses to touch anything that is not a socket. */
export function removeStaleSocket(path: string): void {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return;
  }
  if (!isSocket) throw new Error(`'${path}' is not a socket`);
  rmSync(path, { force: true });
}

/**
 * Throws a plain error (no `code`, so it is not retried) when the socket's directory is missing: libuv reports
 * that as EACCES, which sends an operator chasing permissions instead of creating the directory.
 */
export function checkSocketDir(path: string): void {
  const dir = dirname(path);
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return;
    throw new Error(`directory ${dir} does not exist (creating ${path})`);
  }
  if (!isDir) throw new Error(`${dir} is not a directory (creating ${path})`);
}

/** Runs `bind` with the process umask set to `umask`, restoring the previous one afterwards. */
export function withUmask<T>(umask: number, bind: () => T): T {
  const previous = process.umask(umask);
  try {
    return bind();
  } finally {
    process.umask(previous);
  }
}

/** Gives the socket file to the worker user so a privilege-dropped worker's peers can connect; best effort. */
export function chownSocket(path: string, uid: number | null, gid: number | null): void {
  if (uid === null && gid === null) return;
  try {
    chownSync(path, uid ?? -1, gid ?? -1);
  } catch {
    // Not root, or the file is gone: the socket still works for its owner.
  }
}

/** Removes the socket file if it is still a socket; used at the arbiter's final exit. */
export function unlinkSocket(path: string): void {
  try {
    if (lstatSync(path).isSocket()) rmSync(path, { force: true });
  } catch {
    // Already gone.
  }
}
