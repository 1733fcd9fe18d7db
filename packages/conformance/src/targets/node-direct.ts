/**
 * The reference for unchanged-app comparisons: the app run the way its users run it, `node app.js`, with
 * `PORT=0`. A preload only observes which port the app's own `listen()` got.
 */
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppSpec, RunningServer, StartOptions, Target } from './target.js';

const REPORTER = fileURLToPath(new URL('../port-reporter.mjs', import.meta.url));

/** Runs self-listening apps with plain `node`. */
export function nodeDirectTarget(): Target {
  return {
    name: 'node directly',
    socket: 'tcp',
    adapters: false,
    recycles: false,
    unavailable: () => null,
    async start(app: AppSpec, start: StartOptions = {}): Promise<RunningServer> {
      const child = spawn(process.execPath, ['--import', REPORTER, app.module], {
        cwd: dirname(app.module),
        env: { ...process.env, PORT: '0', ...start.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const port = await new Promise<number>((resolve, reject) => {
        const onData = (c: Buffer) => {
          output += c.toString();
          const m = /TGUN_CONFORMANCE_PORT=(\d+)/.exec(output);
          if (m) resolve(Number(m[1]));
        };
        child.stdout?.on('data', onData);
        child.stderr?.on('data', onData);
        void exited.then((code) => reject(new Error(`node ${app.module} exited with ${code}:\n${output}`)));
      });
      let stopped = false;
      const stop = async () => {
        if (stopped) return;
        stopped = true;
        // Plain apps rarely handle TERM: Node's default action ends them, which is all a reference run needs.
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
      };
      return { url: `http://127.0.0.1:${port}`, workers: 1, stop, logs: () => output, [Symbol.asyncDispose]: stop };
    },
  };
}
