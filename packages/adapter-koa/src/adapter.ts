/**
 * The Koa adapter (Koa 2 and 3). `app.callback()` composes `app.middleware` at the moment it is called, and
 * middleware added later is never seen; so it is called only once the module and any async factory have
 * finished: in `ready()`, just before the worker starts accepting (or on the first request, whichever is first).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Adapter, ListenerApp } from '@tgun/core';
import { koaSettings } from './settings.js';

/** The members that make an object a Koa application. */
export interface KoaApp {
  callback(): (req: IncomingMessage, res: ServerResponse) => unknown;
  readonly middleware: unknown[];
  createContext(...args: unknown[]): unknown;
  readonly proxy?: unknown;
  listeners(event: string | symbol): ((...args: unknown[]) => unknown)[];
}

/** Whether `app` is a Koa application: `callback()`, a `middleware` array and `createContext()`. */
export function isKoaApp(app: unknown): app is KoaApp {
  if (app === null || typeof app !== 'object') return false;
  const a = app as Record<string, unknown>;
  return typeof a.callback === 'function' && Array.isArray(a.middleware) && typeof a.createContext === 'function';
}

/** Runs the app's `close` listeners (Koa has no shutdown hook; `app.on('close', fn)` is the app's own place). */
async function emitClose(app: KoaApp): Promise<void> {
  const results = await Promise.allSettled(app.listeners('close').map(async (fn) => fn.call(app)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** tgun's adapter for Koa applications. */
export const adapter: Adapter = {
  name: 'koa',
  detect: isKoaApp,
  load(app): ListenerApp {
    if (!isKoaApp(app)) throw new TypeError('@tgun/adapter-koa: not a Koa application');
    let handle: ((req: IncomingMessage, res: ServerResponse) => unknown) | undefined;
    const compose = () => {
      handle ??= app.callback();
      return handle;
    };
    const listener: RequestListener = (req, res) => {
      // Koa's handler resolves after it has answered, errors included; nothing is left to await here.
      void compose()(req, res);
    };
    return {
      kind: 'listener',
      listener,
      ready: async () => {
        compose();
      },
      close: () => emitClose(app),
      settings: koaSettings(app),
    };
  },
};
