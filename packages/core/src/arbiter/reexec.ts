/**
 * USR2: start a new master, running the current code, on the same listening sockets (gunicorn's `reexec`).
 * The sockets go to fds 3, 4, … of the new master and are named in `TGUN_FD`; `TGUN_PID` tells it who its
 * parent master is. This master renames its pidfile to `<pidfile>.oldbin` so the new one can write the
 * real name. The operator then sends WINCH and TERM to the old master; once it is gone, the new master logs
 * `Master has been promoted.` and makes sure the pidfile names it. If the new master dies first, the old one
 * takes its pidfile name back.
 */
import { spawn, type StdioOptions } from 'node:child_process';
import { masterTitle, setTitle } from '../ipc/titles.js';
import { encodeForReexec } from '../sockets/inherit.js';
import type { Arbiter } from './arbiter.js';
import { readPid } from './pidfile.js';

/** Set in a re-executed master: the pid of the master that started it. */
export const PARENT_ENV = 'TGUN_PID';

function moveControlSocket(arb: Arbiter, to: string): void {
  try {
    arb.control?.rename(to);
  } catch (err) {
    arb.log.warning(`Could not move the control socket to ${to}: ${(err as Error).message}`);
  }
}

/** Handles USR2. */
export function reexec(arb: Arbiter): void {
  if (arb.reexecChild) {
    arb.log.warning('USR2 signal ignored. Child exists.');
    return;
  }
  if (arb.masterPid !== 0) {
    arb.log.warning('USR2 signal ignored. Parent exists.');
    return;
  }
  const original = arb.pidfile.path;
  if (original) arb.pidfile.rename(`${original}.oldbin`);
  // The new master opens its own control socket at the normal path; this one stays reachable aside.
  const control = arb.control;
  const controlPath = control?.path;
  if (control && controlPath) moveControlSocket(arb, `${controlPath}.oldbin`);
  void arb.callHook('preExec', () => arb.config.preExec(arb.server));
  const env = { ...arb.baseEnv, [PARENT_ENV]: String(process.pid), ...encodeForReexec(arb.listeners) };
  const stdio: StdioOptions = ['inherit', 'inherit', 'inherit', ...arb.listeners.map((l) => l.fd)];
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    cwd: arb.inputs.cwd,
    env,
    stdio,
  });
  // The new master must outlive this one; it is never waited for.
  child.unref();
  arb.reexecChild = child;
  const gone = (why: string) => {
    if (arb.reexecChild !== child) return;
    arb.reexecChild = null;
    arb.log.warning(`New master ${why}; this master keeps serving.`);
    if (original && arb.pidfile.path !== original) arb.pidfile.rename(original);
    if (control && controlPath && arb.control === control) moveControlSocket(arb, controlPath);
  };
  child.on('error', (err) => gone(`could not start (${err.message})`));
  child.on('exit', (code, signal) => gone(`(pid:${child.pid}) exited with ${signal ?? `code ${code}`}`));
}

/** In a re-executed master: once the old master has exited, take over its role (call on every loop pass). */
export function maybePromote(arb: Arbiter): void {
  if (arb.masterPid === 0 || process.ppid === arb.masterPid) return;
  arb.log.info('Master has been promoted.');
  arb.masterPid = 0;
  const path = arb.pidfile.path;
  if (path && readPid(path) !== process.pid) {
    try {
      arb.pidfile.create();
    } catch (err) {
      arb.log.exception('Could not restore the pidfile', err);
    }
  }
  setTitle(masterTitle(arb.procName));
}
