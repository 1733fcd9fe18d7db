/**
 * The in-process target: the adapter's `load()` runs in the test process and the served app listens on a bound
 * socket, as in a worker. Each start imports a fresh instance of the app module.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Adapter } from '@tgun/core';
import { bindSocket } from '../bound-socket.js';
import { pickExport } from '../pick-export.js';
import { serveApp } from './serve-app.js';
import type { AppSpec, RunningServer, StartOptions, Target } from './target.js';

let instance = 0;

/** Options for {@link inProcessTarget}. */
export interface InProcessOptions {
  /** Serve on a unix socket in a temp dir instead of 127.0.0.1. */
  readonly unix?: boolean;
}

/** Serves apps through `adapter` inside the test process. */
export function inProcessTarget(adapter: Adapter, opts: InProcessOptions = {}): Target {
  return {
    name: `in-process (${adapter.name}${opts.unix ? ', unix socket' : ''})`,
    socket: opts.unix ? 'unix' : 'tcp',
    adapters: true,
    recycles: false,
    unavailable: () => null,
    async start(app: AppSpec, start: StartOptions = {}): Promise<RunningServer> {
      const saved = new Map<string, string | undefined>();
      for (const [k, v] of Object.entries(start.env ?? {})) {
        saved.set(k, process.env[k]);
        process.env[k] = v;
      }
      const restore = () => {
        for (const [k, v] of saved) {
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
        }
      };
      const dir = opts.unix ? mkdtempSync(join(tmpdir(), 'tgun-conf-')) : null;
      try {
        const ns = (await import(`${pathToFileURL(app.module).href}?instance=${++instance}`)) as Record<
          string,
          unknown
        >;
        let value = pickExport(ns, app.variable);
        if (value instanceof Promise) value = await value;
        const appUri = `${basename(app.module)}:${app.variable ?? 'default'}`;
        if (!adapter.detect(value)) throw new Error(`${adapter.name} adapter does not recognise ${appUri}`);
        const served = await adapter.load(value, { appUri, appDir: dirname(app.module) });
        await served.ready?.();
        const socket = bindSocket(dir ? join(dir, 'app.sock') : undefined);
        const serving = await serveApp(served, socket);
        let stopped = false;
        const stop = async () => {
          if (stopped) return;
          stopped = true;
          try {
            await serving.stop();
          } finally {
            restore();
            if (dir) rmSync(dir, { recursive: true, force: true });
          }
        };
        return { url: socket.url, workers: 1, stop, logs: () => '', [Symbol.asyncDispose]: stop };
      } catch (err) {
        restore();
        if (dir) rmSync(dir, { recursive: true, force: true });
        throw err;
      }
    },
  };
}
