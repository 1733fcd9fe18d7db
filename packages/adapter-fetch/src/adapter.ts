/**
 * The adapter for web-standard apps whose entry is `fetch(request) => Response`: Hono (`export default app`),
 * itty-router, `export default { fetch }` modules. Requests are bridged by `@hono/node-server`'s
 * `getRequestListener`, with `overrideGlobalObjects: false` so the process's global `Request` and `Response`
 * stay Node's own. The fetch function gets `(request, { incoming, outgoing })`, as under `@hono/node-server`'s
 * `serve()`, so `getConnInfo()` keeps working.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Adapter, ListenerApp } from '@tgun/core';

/** What the fetch function receives as its second argument. */
export interface FetchEnv {
  readonly incoming: IncomingMessage;
  readonly outgoing: ServerResponse;
}

/** An object whose `fetch` answers web-standard requests. */
export interface FetchApp {
  fetch(request: Request, env: FetchEnv): Response | Promise<Response>;
}

/**
 * Whether `app` is a fetch app: a non-function object with a `fetch` method. A function that also has `.fetch`
 * (GraphQL Yoga, `@whatwg-node/server`) is a Node listener first and is left to the node adapter.
 */
export function isFetchApp(app: unknown): app is FetchApp {
  return app !== null && typeof app === 'object' && typeof (app as { fetch?: unknown }).fetch === 'function';
}

function isPromise(value: unknown): value is Promise<Response> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

/** A thrown or rejected app error becomes a 500 and a log line; the worker keeps serving. */
function internalError(err: unknown, request: Request): Response {
  const where = `${request.method} ${new URL(request.url).pathname}`;
  console.error(`Error handling ${where}:`, err);
  return new Response('Internal Server Error', { status: 500, headers: { 'content-type': 'text/plain' } });
}

/** tgun's adapter for fetch apps. */
export const adapter: Adapter = {
  name: 'fetch',
  detect: isFetchApp,
  load(app): ListenerApp {
    if (!isFetchApp(app)) throw new TypeError('@tgun/adapter-fetch: not an object with a fetch() method');
    // Synchronous answers stay synchronous: the bridge has a fast path for responses that are not promises.
    const handle: Parameters<typeof getRequestListener>[0] = (request, env) => {
      try {
        // tgun serves HTTP/1.1 through node:http, so the bindings are always the HTTP/1 pair.
        const res = app.fetch(request, env as FetchEnv);
        return isPromise(res) ? res.catch((err: unknown) => internalError(err, request)) : res;
      } catch (err) {
        return internalError(err, request);
      }
    };
    return {
      kind: 'listener',
      listener: getRequestListener(handle, { overrideGlobalObjects: false }),
    };
  },
};
