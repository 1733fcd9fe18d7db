/**
 * The worker-sim target: one child process doing what a tgun worker does with core's `installSelfListen` and
 * `resolveAdapter` (see `worker-sim-child.mjs`), on a socket bound here and inherited as fd 3. It runs apps
 * that call `listen()` themselves and exercises adapter resolution from the app's own directory, isolated from
 * the arbiter (the tgun target runs the same apps through the real worker).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bindSocket } from '../bound-socket.js';
import { CORE_DIST, missingCoreFiles } from './core-paths.js';
import type { AppSpec, RunningServer, StartOptions, Target } from './target.js';

const CHILD = fileURLToPath(new URL('./worker-sim-child.mjs', import.meta.url));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Serves apps in one simulated worker process. */
export function workerSimTarget(): Target {
  return {
    name: 'worker-sim',
    socket: 'tcp',
    adapters: true,
    recycles: false,
    unavailable: () => missingCoreFiles('app/self-listen.js', 'app/adapters.js'),
    async start(app: AppSpec, start: StartOptions = {}): Promise<RunningServer> {
      const socket = bindSocket();
      const child = spawn(process.execPath, [CHILD, CORE_DIST, app.module, app.variable ?? ''], {
        env: { ...process.env, ...start.env },
        stdio: ['ignore', 'pipe', 'pipe', socket.fd, 'ipc'],
      });
      let output = '';
      child.stdout?.on('data', (c: Buffer) => {
        output += c.toString();
      });
      child.stderr?.on('data', (c: Buffer) => {
        output += c.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      // The child has its own copy of the socket; ours only has to outlive the spawn.
      child.once('spawn', () => socket.close());
      await new Promise<void>((resolve, reject) => {
        child.once('message', () => resolve());
        void exited.then((code) => reject(new Error(`worker-sim exited with ${code} before serving:\n${output}`)));
      });
      let stopped = false;
      const stop = async () => {
        if (stopped) return;
        stopped = true;
        child.kill('SIGTERM');
        const code = await exited;
        if (child.pid && isAlive(child.pid)) throw new Error(`worker-sim ${child.pid} is still running`);
        if (code !== 0) throw new Error(`worker-sim exited with ${code}:\n${output}`);
      };
      return { url: socket.url, workers: 1, stop, logs: () => output, [Symbol.asyncDispose]: stop };
    },
  };
}
