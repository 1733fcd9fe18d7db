/**
 * Express over Node's HTTP/2 compatibility API. For every request Express swaps the prototypes of `req` and
 * `res` for `app.request`/`app.response`, which inherit from `http.IncomingMessage`/`http.ServerResponse`. An
 * `Http2ServerRequest` given that prototype loses its own accessors (`url`, `headers`, `_read`…) and the first
 * body read throws. So for HTTP/2 requests Express is handed prototypes that carry its methods on top of the
 * HTTP/2 classes instead. HTTP/1.x requests take the app itself, unchanged. A mounted sub-app swaps in its own
 * prototypes and still breaks over HTTP/2.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { ExpressApp } from './adapter.js';

/** Express's own members on `proto`'s chain, down to (not including) Node's class prototype, copied onto `base`. */
function rebase(proto: object, stop: object, base: object): object {
  const chain: object[] = [];
  for (let p: object | null = proto; p !== null && p !== stop && p !== Object.prototype; p = Object.getPrototypeOf(p))
    chain.unshift(p);
  const out = Object.create(base) as object;
  for (const level of chain) Object.defineProperties(out, Object.getOwnPropertyDescriptors(level));
  return out;
}

/** HTTP/2 has no reason phrase; Express's final handler sets one, which Node would answer with a warning. */
const NO_STATUS_MESSAGE: PropertyDescriptor = {
  get: () => '',
  set: () => {},
  configurable: true,
};

/** Express's request and response prototypes rebuilt on Node's HTTP/2 compatibility classes. */
interface Http2Prototypes {
  readonly request: object;
  readonly response: object;
}

type WithPrototypes = ExpressApp & { request: object; response: object };

/** {@link Http2Prototypes} for `app`, from its current `request`/`response` (the app's own additions included). */
export function http2Prototypes(app: ExpressApp): Http2Prototypes {
  const a = app as WithPrototypes;
  const request = rebase(a.request, IncomingMessage.prototype, Http2ServerRequest.prototype);
  const response = rebase(a.response, ServerResponse.prototype, Http2ServerResponse.prototype);
  Object.defineProperty(response, 'statusMessage', NO_STATUS_MESSAGE);
  return { request, response };
}

/**
 * A listener serving HTTP/1.x with `app` as it is, and HTTP/2 with `app.request`/`app.response` swapped for
 * their {@link http2Prototypes} while Express sets up the request. The swap lasts only the synchronous start of
 * `app.handle`, where Express (4: its init middleware, run first and synchronously; 5: `handle` itself) sets
 * the prototypes; nothing else can run in between.
 */
export function versionAwareListener(app: ExpressApp): (req: IncomingMessage, res: ServerResponse) => void {
  const a = app as WithPrototypes;
  let h2: Http2Prototypes | null = null;
  return (req, res) => {
    // By class, not version: an HTTP/1 request line may claim HTTP/2.0.
    if (!((req as unknown) instanceof Http2ServerRequest)) {
      app(req, res);
      return;
    }
    h2 ??= http2Prototypes(app);
    const { request, response } = a;
    a.request = h2.request;
    a.response = h2.response;
    try {
      app(req, res);
    } finally {
      a.request = request;
      a.response = response;
    }
  };
}
