/**
 * The `--pid` file, gunicorn's rules: refuse to start over a file naming a live process, write atomically
 * (temp file + rename) as `"<pid>\n"`, and remove it only while it still names this process. On USR2 the old
 * master renames its file to `<path>.oldbin` (nginx's convention) so the new master can take the name.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { TgunError } from '../errors.js';

/** The pid in `path`, or null when the file is missing or holds no number. */
export function readPid(path: string): number | null {
  try {
    const n = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

/** Whether `pid` names a live process (EPERM counts: it exists, it is just not ours). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The arbiter's pidfile. */
export class Pidfile {
  /** Where the file currently is (it moves on USR2); null when no pidfile is configured. */
  path: string | null;

  constructor(path: string | null, cwd: string) {
    this.path = path === null ? null : resolve(cwd, path);
  }

  /** Writes this process's pid; throws TGUN_ERR_PIDFILE over a live pid or when the directory is missing. */
  create(pid = process.pid): void {
    const path = this.path;
    if (path === null) return;
    const old = readPid(path);
    if (old !== null && old !== pid && isAlive(old)) {
      throw new TgunError('TGUN_ERR_PIDFILE', `Already running on PID ${old} (or pid file '${path}' is stale)`);
    }
    if (!existsSync(dirname(path))) {
      throw new TgunError('TGUN_ERR_PIDFILE', `${dirname(path)} doesn't exist. Can't create pidfile.`);
    }
    const tmp = `${path}.${pid}.tmp`;
    writeFileSync(tmp, `${pid}\n`, { mode: 0o644 });
    renameSync(tmp, path);
  }

  /** Moves the file to `to` (USR2's `.oldbin`) if it still names this process. */
  rename(to: string, pid = process.pid): void {
    if (this.path === null || readPid(this.path) !== pid) return;
    renameSync(this.path, to);
    this.path = to;
  }

  /** Removes the file if it still names this process. */
  unlink(pid = process.pid): void {
    if (this.path !== null && readPid(this.path) === pid) rmSync(this.path, { force: true });
  }
}
