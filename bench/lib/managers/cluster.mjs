/**
 * The hand-written node:cluster master (`peers/cluster.mjs`) with the round-robin scheduler (`cluster-rr`,
 * Node's default on Linux) or SCHED_NONE (`cluster-none`). Reload: SIGHUP, its rolling restart.
 */
import { fileURLToPath } from 'node:url';
import { childrenOf, signal, until } from '../procs.mjs';
import { exited, spawnLogged } from './common.mjs';

const SCRIPT = fileURLToPath(new URL('../../peers/cluster.mjs', import.meta.url));

/**
 * @param {'rr' | 'none'} policy
 * @returns {import('./common.mjs').Manager}
 */
export function clusterManager(policy) {
  return {
    name: `cluster-${policy}`,
    reloads: ['cluster-rolling'],
    async start(spec) {
      const env = {
        NODE_CLUSTER_SCHED_POLICY: policy,
        BENCH_APP: spec.app,
        BENCH_WORKERS: String(spec.workers),
        PORT: String(spec.port),
      };
      const spawnedAt = performance.now();
      const { child, logs } = spawnLogged([spec.node, SCRIPT], spec, 'cluster.log', env);
      const master = child.pid ?? 0;
      const workers = () => childrenOf(master);
      return {
        spawnedAt,
        masterPid: master,
        workerPids: workers,
        logs,
        served: '',
        async reload() {
          const t0 = performance.now();
          const before = logs().split('reloaded').length;
          signal(master, 'SIGHUP');
          const done = await until(() => logs().split('reloaded').length > before, 30_000);
          if (!done) throw new Error('cluster rolling restart did not finish within 30 s');
          return performance.now() - t0;
        },
        async stop() {
          signal(master, 'SIGTERM');
          await exited(child, 15_000);
        },
      };
    },
  };
}
