/** One Node process (`peers/single.mjs`): the baseline every ratio can be read against. No reload. */
import { fileURLToPath } from 'node:url';
import { signal } from '../procs.mjs';
import { exited, spawnLogged } from './common.mjs';

const SCRIPT = fileURLToPath(new URL('../../peers/single.mjs', import.meta.url));

/** @type {import('./common.mjs').Manager} */
export const single = {
  name: 'single',
  reloads: [],
  async start(spec) {
    const env = { BENCH_APP: spec.app, PORT: String(spec.port) };
    const spawnedAt = performance.now();
    const { child, logs } = spawnLogged([spec.node, SCRIPT], spec, 'single.log', env);
    const pid = child.pid ?? 0;
    return {
      spawnedAt,
      masterPid: pid,
      // The process is its own master; it has no workers to list separately.
      workerPids: () => [],
      logs,
      served: '',
      async reload() {
        throw new Error('a single process has no reload');
      },
      async stop() {
        signal(pid, 'SIGTERM');
        await exited(child, 10_000);
      },
    };
  },
};
