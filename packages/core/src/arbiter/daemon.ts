/**
 * `-D/--daemon`: detach from the terminal. Node cannot fork, so the command starts itself again as a new
 * session leader (`setsid` through `detached`), with stdin on /dev/null and stdout/stderr on /dev/null or the
 * error log file, and exits 0; the detached copy is the arbiter and writes the pidfile. A USR2 re-execution
 * (`TGUN_FD` set) never daemonizes again.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ConfigInputs } from '../config/load.js';
import type { TgunConfig } from '../settings/registry.js';

/** Marks the detached copy, so it does not detach again. */
export const DAEMON_ENV = 'TGUN_DAEMONIZED';

/** Whether this process should detach now. */
export function shouldDaemonize(config: TgunConfig, env: NodeJS.ProcessEnv): boolean {
  return config.daemon && !env[DAEMON_ENV] && !env.TGUN_FD && !env.TGUN_PID;
}

function outputFd(config: TgunConfig, stream: NodeJS.WriteStream): number | 'inherit' {
  // -R keeps a redirected (non-terminal) stdout/stderr, as gunicorn's enable_stdio_inheritance does.
  if (config.enableStdioInheritance && !stream.isTTY) return 'inherit';
  const target = config.errorLog === '-' ? '/dev/null' : resolve(config.chdir, config.errorLog);
  return openSync(target, 'a');
}

/** Starts the detached arbiter; returns its pid. The caller exits 0. */
export function daemonize(config: TgunConfig, inputs: ConfigInputs): number {
  const out = outputFd(config, process.stdout);
  const err = outputFd(config, process.stderr);
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    cwd: inputs.cwd,
    env: { ...process.env, [DAEMON_ENV]: '1' },
    stdio: ['ignore', out, err],
    detached: true,
  });
  child.unref();
  for (const fd of [out, err]) if (typeof fd === 'number') closeSync(fd);
  return child.pid ?? 0;
}

/** In the detached copy: forget the marker and use gunicorn's daemon umask. */
export function settleDaemon(env: NodeJS.ProcessEnv): void {
  if (!env[DAEMON_ENV]) return;
  delete env[DAEMON_ENV];
  process.umask(0o022);
}
