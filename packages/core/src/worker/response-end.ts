/**
 * What happens when a response closes: the in-flight count drops, the Prometheus totals and StatsD get the
 * status and duration, and the access log gets its line. One shared `close` listener per pipeline (`this` is
 * the response), so a request costs no closure; the start time and scheme ride on the response object.
 */
import type { IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { StatsdClient } from '../metrics/statsd.js';
import type { AccessLog } from './access-log.js';
import { isHttp2Request } from './http2-request.js';
import { recordResponse, workerStats } from './request-stats.js';

const START = Symbol('tgun.start');
const SCHEME = Symbol('tgun.scheme');
const PEER = Symbol('tgun.peer');

interface Peer {
  readonly address: string | undefined;
  readonly port: number | undefined;
}

/** A response with the pipeline's per-request marks. */
export type MarkedResponse = ServerResponse & { [START]?: bigint; [SCHEME]?: 'http' | 'https'; [PEER]?: Peer };

/** Marks the start of a request: counts it in flight and remembers when it began. */
export function markStart(res: ServerResponse): void {
  workerStats.inFlight++;
  (res as MarkedResponse)[START] = process.hrtime.bigint();
}

/**
 * Remembers the peer of an HTTP/2 request while it can be read: `req.socket` of the compatibility API is a
 * proxy to the session's socket, which no longer answers once the stream has closed.
 */
export function markPeer(res: ServerResponse, socket: { remoteAddress?: string; remotePort?: number }): void {
  (res as MarkedResponse)[PEER] = { address: socket.remoteAddress, port: socket.remotePort };
}

/** Remembers the scheme the request arrived with, for the access log. */
export function markScheme(res: ServerResponse, scheme: 'http' | 'https'): void {
  (res as MarkedResponse)[SCHEME] = scheme;
}

type Measured = ServerResponse & { _contentLength?: unknown };

/**
 * The body length: the `Content-Length` the app set, else the one Node computed for a single-chunk
 * `res.end(body)` (kept on the response, not exposed as a header). Streamed (chunked) bodies log `-`.
 */
function bytesSent(res: ServerResponse): number | undefined {
  const length = res.getHeader('content-length');
  const n = length === undefined ? (res as Measured)._contentLength : Number(length);
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/**
 * The headers the access log reads. An HTTP/2 request names its host in `:authority`; `%({host})i` and the
 * JSON `host` field get it from there when the client sent no `Host` of its own.
 */
function loggedHeaders(req: IncomingMessage): IncomingHttpHeaders {
  const headers = req.headers;
  if (!isHttp2Request(req) || headers.host !== undefined) return headers;
  const authority = headers[':authority'];
  return typeof authority === 'string' ? { ...headers, host: authority } : headers;
}

/** Builds the `close` listener for a pipeline with these sinks (either may be absent). */
export function responseEnd(accessLog: AccessLog | null, statsd: StatsdClient | null): (this: ServerResponse) => void {
  const pid = process.pid;
  return function closed(this: ServerResponse) {
    const res = this as MarkedResponse;
    const start = res[START];
    if (start === undefined) return;
    res[START] = undefined;
    const ns = process.hrtime.bigint() - start;
    const status = res.statusCode;
    recordResponse(workerStats, status, Number(ns) / 1e9);
    statsd?.request(status, Number(ns) / 1e6);
    if (accessLog === null) return;
    const req = res.req;
    const peer = res[PEER];
    accessLog.write({
      remoteAddress: peer ? peer.address : req.socket.remoteAddress,
      remotePort: peer ? peer.port : req.socket.remotePort,
      method: req.method ?? '-',
      url: req.url ?? '-',
      httpVersion: req.httpVersion,
      status,
      bytesSent: bytesSent(res),
      requestHeaders: loggedHeaders(req),
      response: res,
      startTime: start,
      durationNs: ns,
      pid,
      scheme: res[SCHEME],
    });
  };
}

const countOnly = responseEnd(null, null);

/**
 * The counting half alone (in-flight, Prometheus totals), for servers run without the configured pipeline:
 * wraps `next`, or without it returns a listener to prepend to an app's own server.
 */
export function countingListener(next?: RequestListener): RequestListener {
  return (req, res) => {
    markStart(res);
    res.on('close', countOnly);
    next?.(req, res);
  };
}
