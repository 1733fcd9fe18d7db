/**
 * The per-request path of a worker, kept minimal: count the request, ask for `Connection: close` while
 * draining or at the max-requests limit, and call the `preRequest`/`postRequest` hooks. No IPC, no timers.
 */
import type { IncomingMessage, Server as HttpServer, RequestListener, ServerResponse } from 'node:http';
import type { HookSignatures, WorkerView } from '../hooks/types.js';
import type { Logger } from '../logging/types.js';
import { isHttp2Request } from './http2-request.js';

/** What the request path reads and updates; owned by the worker's main module. */
export interface RequestState {
  requests: number;
  /** Requests before recycling; Infinity when unlimited. */
  readonly maxRequests: number;
  draining: boolean;
  /** Called once, by the request that reaches {@link RequestState.maxRequests}. */
  onLimit(): void;
}

/** The hooks the request path calls. */
export type RequestHooks = Pick<HookSignatures, 'preRequest' | 'postRequest'>;

/**
 * The request path: returns a listener that counts, applies the drain/limit `Connection: close`, runs the
 * hooks, then calls `next` (the app) when given. tgun's own servers get it as their only listener; an app's
 * own server gets it prepended to its listeners. Nothing is allocated per request beyond what Node does.
 */
export function requestPath(
  state: RequestState,
  view: WorkerView,
  hooks: RequestHooks,
  log: Logger,
  next?: RequestListener,
): RequestListener {
  // One shared function as the 'close' listener: `this` is the response, `this.req` its request.
  function after(this: ServerResponse) {
    try {
      hooks.postRequest(view, this.req, this);
    } catch (err) {
      log.exception('postRequest hook failed', err);
    }
  }
  return (req: IncomingMessage, res: ServerResponse) => {
    const n = ++state.requests;
    if (state.draining || n >= state.maxRequests) {
      res.shouldKeepAlive = false;
      if (n === state.maxRequests) state.onLimit();
    }
    try {
      hooks.preRequest(view, req);
    } catch (err) {
      log.exception('preRequest hook failed', err);
    }
    res.on('close', after);
    if (next) next(req, res);
  };
}

/** Hooks the request path in front of an app's own server's listeners. */
export function instrumentServer(
  server: HttpServer,
  state: RequestState,
  view: WorkerView,
  hooks: RequestHooks,
  log: Logger,
): void {
  server.prependListener('request', requestPath(state, view, hooks, log));
}

/**
 * Wraps a plain `(req, res)` listener so an error it throws (or a promise it rejects) becomes a 500 and a log
 * line instead of a dead worker.
 */
export function guardListener(listener: RequestListener, log: Logger): RequestListener {
  const fail = (err: unknown, req: IncomingMessage, res: ServerResponse) => {
    log.exception(`Error handling request ${req.method ?? '-'} ${req.url ?? '-'}`, err);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.shouldKeepAlive = false;
    // HTTP/2 has no Connection header (Node warns when one is set): the stream ends, the session stays.
    const close = isHttp2Request(req) ? {} : { connection: 'close' };
    res.writeHead(500, { 'content-type': 'text/plain', ...close });
    res.end('Internal Server Error\n');
  };
  return (req, res) => {
    try {
      const result: unknown = listener(req, res);
      if (result !== undefined && typeof (result as PromiseLike<unknown>).then === 'function') {
        (result as PromiseLike<unknown>).then(undefined, (err: unknown) => fail(err, req, res));
      }
    } catch (err) {
      fail(err, req, res);
    }
  };
}
