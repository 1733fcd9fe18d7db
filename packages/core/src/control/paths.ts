/**
 * Where the control socket lives, computed the same way by the arbiter (to listen) and by `tgun ctl` (to find
 * it), and the directory checks that make "only the owner can connect" hold even in a shared temp directory.
 */
import { chmodSync, lstatSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

/** The longest socket path the kernel takes (sun_path: 108 bytes on Linux, 104 on macOS, with the NUL). */
export const MAX_SOCKET_PATH_BYTES = process.platform === 'linux' ? 107 : 103;

/** What the default path is computed from. */
export interface SocketPathInputs {
  /** The `--pid` file, or null. */
  readonly pidfile: string | null;
  /** The process name (`--name`, else the app URI). */
  readonly name: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Relative pidfiles resolve against it (the arbiter's `chdir`); defaults to the current directory. */
  readonly cwd?: string;
}

/** Where a default socket lives, and whether that directory is tgun's own (so it must be private). */
export interface SocketLocation {
  readonly path: string;
  /** The directory is tgun's per-user one: created 0700, refused when another user owns it. */
  readonly privateDir: boolean;
}

/** `name` made safe as a file name: app URIs carry `/` and `:`; the result is stable, so `-n NAME` finds it. */
export function socketFileName(name: string): string {
  const safe = name
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[.]+/, '_')
    .slice(0, 64);
  return `${safe || 'tgun'}.sock`;
}

/** The per-user directory under the system temp dir. */
export function userTempDir(): string {
  const who = typeof process.getuid === 'function' ? String(process.getuid()) : 'user';
  return join(tmpdir(), `tgun-${who}`);
}

/** The directory a default socket for `name` would be in when there is no pidfile (also searched by `tgun ctl`). */
export function defaultSocketDir(env: Readonly<Record<string, string | undefined>>): SocketLocation {
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime?.startsWith('/')) return { path: join(runtime, 'tgun'), privateDir: true };
  return { path: userTempDir(), privateDir: true };
}

/**
 * The default control socket: beside the pidfile (`/run/app.pid` → `/run/app.sock`), else
 * `$XDG_RUNTIME_DIR/tgun/<name>.sock`, else `<tmpdir>/tgun-<uid>/<name>.sock`.
 */
export function defaultControlSocket(inputs: SocketPathInputs): SocketLocation {
  if (inputs.pidfile) {
    const pidfile = resolve(inputs.cwd ?? process.cwd(), inputs.pidfile);
    const stem = basename(pidfile).replace(/\.pid$/, '');
    return { path: join(dirname(pidfile), `${stem}.sock`), privateDir: false };
  }
  const dir = defaultSocketDir(inputs.env);
  return { path: join(dir.path, socketFileName(inputs.name)), privateDir: true };
}

/** The default control socket path (see {@link defaultControlSocket}). */
export function defaultControlSocketPath(inputs: SocketPathInputs): string {
  return defaultControlSocket(inputs).path;
}

/** The settings {@link controlSocketLocation} reads. */
export interface ControlSocketSettings {
  readonly controlSocket: string | null;
  readonly controlSocketDisable: boolean;
  readonly pidfile: string | null;
  /** The arbiter's working directory: relative paths resolve against it. */
  readonly chdir: string;
}

/**
 * Where the arbiter opens its control socket: `--control-socket` as given, else the default for `name`; null with
 * `--no-control-socket`.
 */
export function controlSocketLocation(
  config: ControlSocketSettings,
  name: string,
  env: Readonly<Record<string, string | undefined>>,
): SocketLocation | null {
  if (config.controlSocketDisable) return null;
  if (config.controlSocket) return { path: resolve(config.chdir, config.controlSocket), privateDir: false };
  return defaultControlSocket({ pidfile: config.pidfile, name, env, cwd: config.chdir });
}

/** Why a socket directory cannot be used. */
export class SocketDirError extends Error {
  override name = 'SocketDirError';
}

/**
 * Makes sure the socket's directory exists; missing directories are created 0700. A private directory must be
 * a real directory owned by this user (a temp dir is shared: another user could have created it first) and is
 * tightened to 0700 if it is looser.
 */
export function prepareSocketDir(dir: string, privateDir: boolean): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!privateDir) return;
  const st = lstatSync(dir);
  if (!st.isDirectory()) throw new SocketDirError(`${dir} is not a directory (a symlink?); refusing to use it`);
  const uid = typeof process.getuid === 'function' ? process.getuid() : st.uid;
  if (st.uid !== uid) {
    throw new SocketDirError(`${dir} belongs to uid ${st.uid}, not to this user (uid ${uid}); refusing to use it`);
  }
  if ((st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

/** Throws when the kernel would refuse (or silently cut) a socket path this long. */
export function checkSocketPathLength(path: string): void {
  const bytes = Buffer.byteLength(path);
  if (bytes > MAX_SOCKET_PATH_BYTES) {
    throw new SocketDirError(
      `control socket path is ${bytes} bytes, over the ${MAX_SOCKET_PATH_BYTES}-byte limit of unix sockets: ${path} ` +
        '(set a shorter one with --control-socket)',
    );
  }
}
