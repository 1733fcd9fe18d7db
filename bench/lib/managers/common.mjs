/**
 * What every manager (tgun, node:cluster, PM2, a single process) looks like to the bench, and the spawn
 * helper they share: output to a log file (never a pipe the bench must drain), the marker variable set, a
 * new session so no terminal signal reaches it.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MARK_ENV } from '../procs.mjs';

/**
 * @typedef {'raw' | 'express' | 'koa' | 'fastify'} AppName
 * @typedef {'hup' | 'rolling' | 'usr2' | 'pm2-reload' | 'cluster-rolling'} ReloadKind
 *
 * @typedef {object} StartSpec
 * @property {AppName} app
 * @property {number} workers
 * @property {number} [port] TCP port on 127.0.0.1
 * @property {string} [socketPath] unix socket path (tgun only)
 * @property {string} mark value of BENCH_MARK for every process started
 * @property {string} dir a private temp directory for logs, pidfiles, PM2_HOME
 * @property {string} node the Node binary every process of the manager runs on (`--node`)
 * @property {boolean} [accessLog] tgun: write an access log file
 * @property {'all' | 'rolling'} [reloadStrategy] tgun: `--reload-strategy`
 * @property {number} [keepAliveS] tgun: `--keep-alive` (its default, 2 s, is gunicorn's)
 * @property {boolean} [plainListener] tgun: serve the app's `listener` export instead of `app` through an adapter
 *
 * @typedef {object} Running
 * @property {number} masterPid the master (PM2: its daemon; single: the one process)
 * @property {number} spawnedAt `performance.now()` when the first process was spawned (startup is timed from it)
 * @property {() => number[]} workerPids live workers (single: none, its one process is the master)
 * @property {(kind: ReloadKind) => Promise<number>} reload reloads as `kind` says; resolves to the ms it took
 * @property {() => Promise<void>} stop a graceful stop; the caller then runs the leak check
 * @property {() => string} logs the manager's output so far
 * @property {string} served tgun: which export it serves (`app` or `listener`); others ''
 *
 * @typedef {object} Manager
 * @property {string} name
 * @property {(spec: StartSpec) => Promise<Running>} start resolves once the process is started (not yet serving)
 * @property {readonly ReloadKind[]} reloads the reload kinds it supports
 */

/**
 * Spawns `args[0]` with the marker and a log file; returns the child and a reader for its output.
 * @param {string[]} args
 * @param {StartSpec} spec
 * @param {string} logName
 * @param {Record<string, string>} [env]
 */
export function spawnLogged(args, spec, logName, env = {}) {
  const logFile = join(spec.dir, logName);
  const fd = openSync(logFile, 'a');
  const [cmd, ...rest] = args;
  const child = spawn(/** @type {string} */ (cmd), rest, {
    stdio: ['ignore', fd, fd],
    env: { ...process.env, ...env, [MARK_ENV]: spec.mark },
    detached: true,
  });
  closeSync(fd);
  // The bench must not wait for its children's exit to end its own event loop.
  child.unref();
  const logs = () => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  return { child, logs };
}

/**
 * Resolves when `child` has exited, or after `ms` (to whether it exited).
 * @param {import('node:child_process').ChildProcess} child
 * @param {number} ms
 * @returns {Promise<boolean>}
 */
export function exited(child, ms) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
