/**
 * The Express adapter (Express 4 and 5). An Express app is already a Node request listener
 * (`(req, res, next) => app.handle(req, res, next)`), so tgun serves the app function itself: without `next`,
 * Express answers 404s and errors through its own final handler.
 */
import type { RequestListener } from 'node:http';
import type { Adapter, ListenerApp } from '@tgun/core';
import { versionAwareListener } from './http2.js';
import { expressSettings } from './settings.js';

/** The members that make a function an Express app; `router` is deliberately absent (it throws on 4.x). */
export interface ExpressApp extends RequestListener {
  handle(...args: unknown[]): unknown;
  set(...args: unknown[]): unknown;
  readonly settings: Record<string, unknown>;
  listeners(event: string | symbol): ((...args: unknown[]) => unknown)[];
}

/** Whether `app` is an Express app: a function with `handle`, `set` and a `settings` object. */
export function isExpressApp(app: unknown): app is ExpressApp {
  if (typeof app !== 'function') return false;
  const a = app as unknown as Record<string, unknown>;
  return (
    typeof a.handle === 'function' &&
    typeof a.set === 'function' &&
    a.settings !== null &&
    typeof a.settings === 'object'
  );
}

/**
 * Runs the app's `close` listeners and waits for any promise they return: Express has no shutdown hook of its
 * own, and an app is an EventEmitter, so `app.on('close', fn)` is where an unchanged app can clean up.
 */
async function emitClose(app: ExpressApp): Promise<void> {
  const results = await Promise.allSettled(app.listeners('close').map(async (fn) => fn.call(app)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** tgun's adapter for Express apps. */
export const adapter: Adapter = {
  name: 'express',
  detect: isExpressApp,
  load(app): ListenerApp {
    if (!isExpressApp(app)) throw new TypeError('@tgun/adapter-express: not an Express app');
    return {
      kind: 'listener',
      // HTTP/1.x requests reach the app itself; HTTP/2 ones get Express's methods on the HTTP/2 classes.
      listener: versionAwareListener(app),
      close: () => emitClose(app),
      settings: expressSettings(app.settings),
    };
  },
};
