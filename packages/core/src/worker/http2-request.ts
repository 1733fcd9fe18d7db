/** Telling an HTTP/2 request (Node's compatibility API) from an HTTP/1.x one. */
import type { IncomingMessage } from 'node:http';
import { Http2ServerRequest } from 'node:http2';

/**
 * Whether `req` arrived over HTTP/2 (an `Http2ServerRequest`). Known by its class, not its version: an HTTP/1
 * connection may claim `HTTP/2.0` in its request line, and gunicorn refuses that.
 */
export function isHttp2Request(req: IncomingMessage): boolean {
  return (req as unknown) instanceof Http2ServerRequest;
}
