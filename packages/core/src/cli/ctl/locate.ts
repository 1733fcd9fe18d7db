/**
 * Which control socket `tgun ctl` talks to, computed by the same rules the arbiter uses to create it, plus what
 * the operator gave us to find it (kept for error messages that say what was tried).
 */
import { lstatSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readPid } from '../../arbiter/pidfile.js';
import { defaultControlSocket, defaultSocketDir } from '../../control/paths.js';
import type { Target } from './args.js';

/** A socket to talk to and how it was found. */
export interface Located {
  readonly path: string;
  /** How the path was chosen, for messages: `--pid /run/app.pid`, `-n api`, `the only socket in DIR`. */
  readonly how: string;
  /** The pidfile given with --pid, and the pid in it (null when unreadable). */
  readonly pidfile?: { readonly path: string; readonly pid: number | null };
}

/** The outcome: a socket, nothing found (exit 3), or a choice only the operator can make (exit 2). */
export type LocateResult =
  | { readonly ok: true; readonly located: Located }
  | { readonly ok: false; readonly status: 2 | 3; readonly message: string };

function socketsIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.sock'))
      .filter((f) => {
        try {
          return lstatSync(join(dir, f)).isSocket();
        } catch {
          return false;
        }
      })
      .sort();
  } catch {
    return [];
  }
}

/** Finds the socket for `target`. */
export function locateSocket(
  target: Target,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): LocateResult {
  switch (target.kind) {
    case 'socket':
      return { ok: true, located: { path: resolve(cwd, target.path), how: `--socket ${target.path}` } };
    case 'pid': {
      const pidfile = resolve(cwd, target.pidfile);
      const { path } = defaultControlSocket({ pidfile, name: '', env, cwd });
      return {
        ok: true,
        located: { path, how: `--pid ${target.pidfile}`, pidfile: { path: pidfile, pid: readPid(pidfile) } },
      };
    }
    case 'name': {
      const { path } = defaultControlSocket({ pidfile: null, name: target.name, env, cwd });
      return { ok: true, located: { path, how: `-n ${target.name}` } };
    }
    case 'discover': {
      const dir = defaultSocketDir(env).path;
      const found = socketsIn(dir);
      const only = found[0];
      if (found.length === 1 && only !== undefined) {
        return { ok: true, located: { path: join(dir, only), how: `the only control socket in ${dir}` } };
      }
      if (found.length === 0) {
        return {
          ok: false,
          status: 3,
          message:
            `no tgun arbiter answers: no control socket in ${dir} — is it running? \`tgun --pid FILE …\` starts one; ` +
            'point tgun ctl at it with --pid FILE, -n NAME or --socket PATH',
        };
      }
      const names = found.map((f) => f.replace(/\.sock$/, '')).join(', ');
      return {
        ok: false,
        status: 2,
        message: `several control sockets in ${dir}; pick one with -n NAME (${names}) or --socket PATH`,
      };
    }
  }
}
