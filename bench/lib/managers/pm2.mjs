/**
 * PM2 cluster mode (the npm package, a dev dependency of the bench) with a private PM2_HOME per run, so it
 * never touches a user's PM2 daemon. `pm2 start peers/pm2-app.mjs -i N`; reload is `pm2 reload`; stop is
 * always `pm2 kill`, which ends the daemon too (the leak check then proves nothing is left).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MARK_ENV, childrenOf, until } from '../procs.mjs';

const require = createRequire(import.meta.url);
const PM2_BIN = join(require.resolve('pm2/package.json'), '..', 'bin', 'pm2');
const SCRIPT = fileURLToPath(new URL('../../peers/pm2-app.mjs', import.meta.url));
const NAME = 'bench';

/**
 * Runs the pm2 CLI on `node` with `env`; resolves to its output. The daemon it starts, and so every worker,
 * runs on the same binary.
 * @param {string} node
 * @param {string[]} args
 * @param {Record<string, string>} env
 * @returns {Promise<string>}
 */
function pm2(node, args, env) {
  return new Promise((resolve, reject) => {
    execFile(node, [PM2_BIN, ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`pm2 ${args.join(' ')}: ${err.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

/** @type {import('./common.mjs').Manager} */
export const pm2Cluster = {
  name: 'pm2',
  reloads: ['pm2-reload'],
  async start(spec) {
    const home = join(spec.dir, 'pm2-home');
    const env = {
      PM2_HOME: home,
      [MARK_ENV]: spec.mark,
      BENCH_APP: spec.app,
      PORT: String(spec.port),
    };
    const spawnedAt = performance.now();
    await pm2(spec.node, ['start', SCRIPT, '-i', String(spec.workers), '--name', NAME, '--kill-timeout', '1600'], env);
    const daemonPid = () => {
      try {
        return Number(readFileSync(join(home, 'pm2.pid'), 'utf8').trim()) || 0;
      } catch {
        return 0;
      }
    };
    const daemon = daemonPid();
    if (!daemon) throw new Error('pm2 started no daemon');
    const workers = () => childrenOf(daemon);
    const logs = () => {
      try {
        return readFileSync(join(home, 'pm2.log'), 'utf8');
      } catch {
        return '';
      }
    };
    return {
      spawnedAt,
      masterPid: daemon,
      workerPids: workers,
      logs,
      served: '',
      async reload() {
        const t0 = performance.now();
        await pm2(spec.node, ['reload', NAME], env);
        await until(() => workers().length === spec.workers, 30_000);
        return performance.now() - t0;
      },
      async stop() {
        await pm2(spec.node, ['kill'], env);
      },
    };
  },
};
