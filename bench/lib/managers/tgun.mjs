/**
 * tgun itself, started through its real CLI (`packages/core/bin/tgun.js`; core must be built). `tgun-nostats`
 * is the same with the bench-only `TGUN_BENCH_NO_STATS=1` (see README.md, "Statistics off"). The app is
 * served as `apps/<app>.mjs:app` when tgun can load that (see {@link canServeApp}), else as its plain
 * `listener` export. Reloads: HUP (`--reload-strategy all` or `rolling`) and the USR2 upgrade (USR2, wait for
 * the new master's workers to answer, WINCH and TERM the old master).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { get } from '../http.mjs';
import { childrenOf, isRunning, signal, until } from '../procs.mjs';
import { exited, spawnLogged } from './common.mjs';

/** The tgun command's entry. */
export const TGUN_BIN = fileURLToPath(new URL('../../../packages/core/bin/tgun.js', import.meta.url));
const APPS = fileURLToPath(new URL('../../apps/', import.meta.url));
/** A worker's argv carries the first before its title replaces the command line with the second. */
const WORKER = ['--tgun-worker=', 'tgun: worker'];

/** Per Node binary and app: whether tgun serves its plain `app` export (through an adapter, or natively for functions). */
/** @type {Map<string, boolean>} */
const servesApp = new Map();

/**
 * Asks tgun itself (`--check-config`, which loads the app as a worker would) whether it can serve
 * `apps/<app>.mjs:app`. Until the framework adapters are wired into app loading, Koa and Fastify need
 * their `listener` export instead; the result records which one was used.
 * @param {string} app
 * @param {string} node
 * @returns {Promise<boolean>}
 */
export function canServeApp(app, node) {
  const key = `${node}\0${app}`;
  const known = servesApp.get(key);
  if (known !== undefined) return Promise.resolve(known);
  return new Promise((resolve) => {
    execFile(node, [TGUN_BIN, '--check-config', join(APPS, `${app}.mjs:app`)], { timeout: 30_000 }, (err) => {
      servesApp.set(key, !err);
      resolve(!err);
    });
  });
}

/**
 * @param {import('./common.mjs').StartSpec} spec
 */
async function appUri(spec) {
  if (!spec.plainListener && (await canServeApp(spec.app, spec.node)))
    return { uri: join(APPS, `${spec.app}.mjs:app`), served: 'app' };
  const exp = spec.app === 'fastify' ? 'listener()' : 'listener';
  return { uri: join(APPS, `${spec.app}.mjs:${exp}`), served: 'listener' };
}

/** @param {string} file */
function readPid(file) {
  try {
    return Number(readFileSync(file, 'utf8').trim()) || 0;
  } catch {
    return 0;
  }
}

/**
 * @param {string} name
 * @param {Record<string, string>} env added to the arbiter's (and so the workers') environment
 * @param {string[]} [extraArgs] added to the command line before the app
 * @returns {import('./common.mjs').Manager}
 */
function tgunManager(name, env, extraArgs = []) {
  return {
    name,
    reloads: ['hup', 'rolling', 'usr2'],
    async start(spec) {
      const pidfile = join(spec.dir, 'tgun.pid');
      const bind = spec.socketPath ? `unix:${spec.socketPath}` : `127.0.0.1:${spec.port}`;
      const { uri, served } = await appUri(spec);
      const args = [spec.node, TGUN_BIN, '-w', String(spec.workers), '-b', bind, '-p', pidfile];
      if (spec.accessLog) args.push('--access-logfile', join(spec.dir, 'access.log'));
      if (spec.reloadStrategy) args.push('--reload-strategy', spec.reloadStrategy);
      if (spec.keepAliveS) args.push('--keep-alive', String(spec.keepAliveS));
      args.push(...extraArgs, uri);
      const spawnedAt = performance.now();
      const { child, logs } = spawnLogged(args, spec, 'tgun.log', env);
      let master = child.pid ?? 0;
      /** @type {number[]} */
      const masters = [master];
      const workers = () => childrenOf(master, WORKER);
      const target = spec.socketPath ? { socketPath: spec.socketPath } : { port: spec.port ?? 0 };

      /** Replaces the workers; resolves when only new ones are left. */
      const replaceWorkers = async () => {
        const old = new Set(workers());
        signal(master, 'SIGHUP');
        const done = await until(() => {
          const now = workers();
          return now.length === spec.workers && now.every((p) => !old.has(p));
        }, 30_000);
        if (!done) throw new Error(`tgun HUP: workers not replaced within 30 s\n${logs().slice(-2000)}`);
      };

      /** USR2, then WINCH + TERM the old master once a new worker answers. */
      const upgrade = async () => {
        const oldMaster = master;
        signal(oldMaster, 'SIGUSR2');
        let next = 0;
        const started = await until(() => {
          next = readPid(pidfile);
          return next !== 0 && next !== oldMaster && childrenOf(next, WORKER).length === spec.workers;
        }, 30_000);
        if (!started) throw new Error(`tgun USR2: no new master with workers within 30 s\n${logs().slice(-2000)}`);
        masters.push(next);
        const fresh = new Set(childrenOf(next, WORKER));
        // An operator waits until the new generation answers before stopping the old one.
        for (let i = 0; i < 200; i++) {
          const res = await get(target, '/pid').catch(() => null);
          if (res && fresh.has(Number(res.body))) break;
        }
        signal(oldMaster, 'SIGWINCH');
        await until(() => childrenOf(oldMaster, WORKER).length === 0, 30_000);
        signal(oldMaster, 'SIGTERM');
        if (!(await until(() => !isRunning(oldMaster), 30_000)))
          throw new Error('tgun USR2: the old master did not exit');
        master = next;
      };

      return {
        spawnedAt,
        get masterPid() {
          return master;
        },
        workerPids: workers,
        logs,
        served,
        async reload(kind) {
          const t0 = performance.now();
          if (kind === 'usr2') await upgrade();
          else await replaceWorkers();
          return performance.now() - t0;
        },
        async stop() {
          for (const pid of masters) signal(pid, 'SIGTERM');
          await exited(child, 15_000);
          await until(() => masters.every((p) => !isRunning(p)), 15_000);
        },
      };
    },
  };
}

/** tgun as users run it. */
export const tgun = tgunManager('tgun', {});
/** tgun with the worker statistics off (bench-only switch), to measure what they cost on the request path. */
export const tgunNoStats = tgunManager('tgun-nostats', { TGUN_BENCH_NO_STATS: '1' });
/** tgun with `--connection-balance off`: the kernel alone decides which worker accepts (spread scenario). */
export const tgunBalanceOff = tgunManager('tgun-balance-off', {}, ['--connection-balance', 'off']);
/** tgun with `--connection-balance fair-share` (spread scenario). */
export const tgunBalanceOn = tgunManager('tgun-balance-on', {}, ['--connection-balance', 'fair-share']);
