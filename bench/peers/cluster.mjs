/**
 * A hand-written node:cluster master, written the way its users write one: `BENCH_WORKERS` workers, a dead
 * worker is forked again, SIGHUP does a rolling restart (fork a new worker, wait for its 'listening', then
 * `disconnect()` the old one, one at a time), SIGTERM/SIGINT disconnect every worker and exit. The scheduler
 * comes from NODE_CLUSTER_SCHED_POLICY (`rr`, Node's default on Linux, or `none`).
 */
import cluster from 'node:cluster';
import { once } from 'node:events';
import { addressFromEnv, serve } from './serve.mjs';

/** How long a disconnecting worker may take before it is killed. */
const KILL_AFTER_MS = 5000;

if (cluster.isPrimary) {
  const wanted = Number(process.env.BENCH_WORKERS ?? 2);
  /** Workers that are being stopped on purpose, so their exit does not fork a replacement. */
  const retiring = new Set();
  let stopping = false;
  let reloading = false;

  cluster.on('exit', (worker) => {
    if (!stopping && !retiring.delete(worker)) cluster.fork();
  });

  /** @param {import('node:cluster').Worker} worker */
  const retire = async (worker) => {
    retiring.add(worker);
    const exited = once(worker, 'exit');
    const timer = setTimeout(() => worker.process.kill('SIGKILL'), KILL_AFTER_MS);
    worker.disconnect();
    await exited;
    clearTimeout(timer);
  };

  const rollingRestart = async () => {
    if (reloading || stopping) return;
    reloading = true;
    for (const old of Object.values(cluster.workers ?? {})) {
      if (!old || retiring.has(old)) continue;
      const fresh = cluster.fork();
      await once(fresh, 'listening');
      await retire(old);
    }
    reloading = false;
    process.stdout.write('reloaded\n');
  };

  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await Promise.all(Object.values(cluster.workers ?? {}).map((w) => (w ? retire(w) : undefined)));
    process.exit(0);
  };

  process.on('SIGHUP', () => void rollingRestart());
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
  for (let i = 0; i < wanted; i++) cluster.fork();
} else {
  await serve(process.env.BENCH_APP ?? 'raw', addressFromEnv());
}
