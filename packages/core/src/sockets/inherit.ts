/**
 * Sockets a tgun arbiter did not bind itself: a USR2 parent's (`TGUN_FD`, like gunicorn's `GUNICORN_FD`),
 * systemd socket activation (`LISTEN_FDS`/`LISTEN_PID`), and `--bind fd://N`.
 */
import { formatAddress } from './address.js';
import { describeFd } from './bind.js';
import type { Listener } from './listener.js';

/** Comma list of inherited fds, set by the arbiter for the new master it starts on USR2. */
export const FD_ENV = 'TGUN_FD';
/** JSON list describing each fd in {@link FD_ENV} (name, key, unix path), same order. */
export const FD_META_ENV = 'TGUN_FD_META';

interface FdMeta {
  readonly name: string;
  readonly key: string;
  readonly path: string | null;
  readonly host: string | null;
}

function inherited(fd: number, meta: FdMeta): Listener {
  return { ...meta, fd, origin: 'inherited', close: () => {} };
}

/** Describes an fd the arbiter did not bind, from the kernel's point of view. */
export function adoptFd(fd: number, key = `fd://${fd}`): Listener {
  const info = describeFd(fd);
  if (info.kind === 'unix') return inherited(fd, { name: `fd://${fd}`, key, path: null, host: null });
  const name = formatAddress({ kind: 'tcp', host: info.host, port: info.port });
  return inherited(fd, { name, key, path: null, host: info.host });
}

/** The environment entries that hand `listeners` to a new master whose stdio puts them at fds 3, 4, … */
export function encodeForReexec(listeners: readonly Listener[]): Record<string, string> {
  const meta: FdMeta[] = listeners.map((l) => ({ name: l.name, key: l.key, path: l.path, host: l.host }));
  return { [FD_ENV]: listeners.map((_, i) => String(3 + i)).join(','), [FD_META_ENV]: JSON.stringify(meta) };
}

function parseMeta(raw: string | undefined): FdMeta[] {
  try {
    const parsed: unknown = JSON.parse(raw ?? '[]');
    return Array.isArray(parsed) ? (parsed as FdMeta[]) : [];
  } catch {
    return [];
  }
}

/**
 * Listeners handed down by a parent process, or null when there are none. Reads and then removes the
 * variables from `env`, so workers and later re-executions do not see stale values.
 */
export function takeInherited(env: NodeJS.ProcessEnv, pid = process.pid): Listener[] | null {
  const fds = env[FD_ENV];
  if (fds) {
    const meta = parseMeta(env[FD_META_ENV]);
    delete env[FD_ENV];
    delete env[FD_META_ENV];
    return fds.split(',').map((text, i) => {
      const fd = Number(text);
      const m = meta[i];
      return m ? inherited(fd, m) : adoptFd(fd);
    });
  }
  if (env.LISTEN_PID && Number(env.LISTEN_PID) === pid) {
    const count = Number(env.LISTEN_FDS ?? '0');
    delete env.LISTEN_PID;
    delete env.LISTEN_FDS;
    delete env.LISTEN_FDNAMES;
    if (!(count > 0)) return null;
    return Array.from({ length: count }, (_, i) => adoptFd(3 + i));
  }
  return null;
}
