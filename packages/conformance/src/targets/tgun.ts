/**
 * The real thing: the `tgun` command with 2 workers on 127.0.0.1 port 0 (or a unix socket), started through
 * core's own `spawnTgun()` test helper, stopped with TERM, and checked for leftover processes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CORE_DIST, missingCoreFiles } from './core-paths.js';
import type { AppSpec, RunningServer, StartOptions, Target } from './target.js';

interface TgunHandle {
  readonly pid: number;
  readonly mark: string;
  readonly url: string;
  readonly exited: Promise<unknown>;
  logs(): string;
  signal(sig: NodeJS.Signals): void;
}
interface SpawnModule {
  spawnTgun(
    args: readonly string[],
    opts: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number },
  ): Promise<TgunHandle & AsyncDisposable>;
  noLeftovers(marks: readonly string[], graceMs?: number): Promise<void>;
}

/** Options for {@link tgunTarget}. */
export interface TgunTargetOptions {
  readonly workers?: number;
  /** Bind a unix socket in a temp dir instead of 127.0.0.1:0. */
  readonly unix?: boolean;
  /** More command-line arguments (`--adapter koa`…). */
  readonly args?: readonly string[];
}

/** Serves apps with `tgun -w N`. */
export function tgunTarget(opts: TgunTargetOptions = {}): Target {
  const workers = opts.workers ?? 2;
  return {
    name: `tgun -w ${workers}${opts.unix ? ' (unix socket)' : ''}`,
    socket: opts.unix ? 'unix' : 'tcp',
    adapters: true,
    recycles: true,
    unavailable: () => missingCoreFiles('arbiter/run.js', 'testing/spawn-tgun.js'),
    async start(app: AppSpec, start: StartOptions = {}): Promise<RunningServer> {
      const spawn = (await import(pathToFileURL(`${CORE_DIST}testing/spawn-tgun.js`).href)) as SpawnModule;
      const dir = opts.unix ? mkdtempSync(join(tmpdir(), 'tgun-conf-')) : null;
      const bind = dir ? `unix:${join(dir, 'app.sock')}` : '127.0.0.1:0';
      const uri = `${basename(app.module)}${app.variable ? `:${app.variable}` : ''}`;
      const args = ['-w', String(workers), '-b', bind, '--graceful-timeout', '20', ...(opts.args ?? [])];
      if (start.maxRequests) args.push('--max-requests', String(start.maxRequests));
      const handle = await spawn.spawnTgun([...args, uri], { cwd: dirname(app.module), env: { ...start.env } });
      let stopped = false;
      const stop = async () => {
        if (stopped) return;
        stopped = true;
        try {
          handle.signal('SIGTERM');
          await handle.exited;
          await spawn.noLeftovers([handle.mark]);
        } finally {
          await handle[Symbol.asyncDispose]();
          if (dir) rmSync(dir, { recursive: true, force: true });
        }
      };
      return { url: handle.url, workers, stop, logs: () => handle.logs(), [Symbol.asyncDispose]: stop };
    },
  };
}
