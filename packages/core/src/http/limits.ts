/**
 * gunicorn's request limits and connection timeouts, mapped onto Node's `http.Server` (a pure function of the
 * settings), plus the per-request checks Node's parser cannot make on its own.
 *
 * What Node's parser (llhttp 9, strict mode; never pass `insecureHTTPParser`) already rejects with **400** and a
 * closed connection before any handler runs — verified on Node 20.20 by `test/http-limits.test.ts`:
 * - a method that is not a known token (`G@T`) and lower-case methods (`get`): `HPE_INVALID_METHOD`;
 * - a malformed version (`HTTP/1.x`): `HPE_INVALID_VERSION`;
 * - invalid header-name characters or a space before `:`; NUL or other CTLs in a value: `HPE_INVALID_HEADER_TOKEN`;
 * - `Content-Length` together with `Transfer-Encoding`, or `chunked` listed twice: `HPE_INVALID_TRANSFER_ENCODING`;
 * - two `Content-Length` headers (`HPE_UNEXPECTED_CONTENT_LENGTH`) or a non-digit one (`HPE_INVALID_CONTENT_LENGTH`);
 * - bare LF line ends (`HPE_CR_EXPECTED`), a bare CR (`HPE_STRICT`), obsolete line folding;
 * - an empty or relative request target (`HPE_INVALID_URL`); HTTP/1.1 without `Host` (`requireHostHeader`);
 * - an `Expect` other than `100-continue` gets 417, like gunicorn.
 *
 * What it accepts and {@link checkRequest} refuses, as gunicorn does: HTTP versions other than 1.x (llhttp
 * serves `HTTP/2.0` and `HTTP/0.9` request lines), duplicate `Host`/`Content-Type`, `chunked` on HTTP/1.0, a
 * `Transfer-Encoding` whose last coding is not `chunked` (llhttp calls the app first and fails on the body), and
 * gunicorn's per-line limits — Node only has one byte cap for the whole head (`maxHeaderSize`, answered 431).
 */
import type { ServerOptions } from 'node:http';

export { type CheckedRequest, checkRequest, clientErrorStatus, type RequestRejection } from './limits-check.js';

/** The settings this module reads, under the typed config's names (seconds for times, as gunicorn). */
export interface LimitSettings {
  /** Max bytes of the request line; 0 = unlimited; values above 8190 are clamped to 8190. Default 4094. */
  readonly limitRequestLine: number;
  /** Max header fields; ≤0 or above 32768 means 32768. Default 100. */
  readonly limitRequestFields: number;
  /** Max bytes of one header line; ≤0 means 8190. Default 8190. */
  readonly limitRequestFieldSize: number;
  /** Seconds an idle keep-alive connection is kept; 0 closes after every response. Default 2. */
  readonly keepAlive: number;
  /** Worker timeout in seconds (0 = none); bounds how long a client may take to send its headers. Default 30. */
  readonly timeout: number;
  /** Max simultaneous connections per worker; 0 or absent = no limit. Default 1000. */
  readonly workerConnections?: number | undefined;
}

/** The limits after gunicorn's clamping; `requestLine` is `Infinity` when unlimited. */
export interface EffectiveLimits {
  readonly requestLine: number;
  readonly fields: number;
  readonly fieldSize: number;
}

/** Everything to configure on a worker's `http.Server` / `https.Server`. */
export interface HttpServerLimits {
  /** Constructor options for `http.createServer(options, …)`. */
  readonly serverOptions: ServerOptions;
  /**
   * Properties to assign on the server after construction (Node 20 has no constructor option for them); use
   * {@link applyServerLimits}.
   */
  readonly properties: {
    readonly maxHeadersCount: number;
    readonly maxRequestsPerSocket: number;
    readonly maxConnections: number | undefined;
  };
  /**
   * `false` when `keepAlive` is 0: the request wrapper must then set `res.shouldKeepAlive = false` on every
   * response. (`maxRequestsPerSocket: 1` alone sends `Connection: close` but Node leaves the socket open until
   * the keep-alive timer fires; it stays set as a backstop.)
   */
  readonly keepAlive: boolean;
  /** Clamped limits for {@link checkRequest}. */
  readonly limits: EffectiveLimits;
}

const MAX_LINE = 8190;
const MAX_FIELDS = 32768;
const DEFAULT_FIELD_SIZE = 8190;
/** Room for the request line in Node's single head cap when gunicorn's line limit is 0 (unlimited). */
const UNLIMITED_LINE_ALLOWANCE = 65536;
/** Upper bound on Node's head cap: what one connection may make the parser buffer. */
const MAX_HEADER_SIZE_CAP = 1024 * 1024;
/** Node's own defaults, used when gunicorn's timeout is 0: we never run without a slow-client guard. */
const NODE_HEADERS_TIMEOUT = 60_000;
const NODE_REQUEST_TIMEOUT = 300_000;

/** Applies gunicorn's clamping rules (`gunicorn/http/message.py`). */
export function effectiveLimits(settings: LimitSettings): EffectiveLimits {
  const line = settings.limitRequestLine;
  const fields = settings.limitRequestFields;
  const fieldSize = settings.limitRequestFieldSize;
  return {
    requestLine: line <= 0 ? Number.POSITIVE_INFINITY : Math.min(line, MAX_LINE),
    fields: fields <= 0 || fields > MAX_FIELDS ? MAX_FIELDS : fields,
    fieldSize: fieldSize <= 0 ? DEFAULT_FIELD_SIZE : fieldSize,
  };
}

/**
 * Maps the settings to Node server options. The reasoning, per option:
 * - `maxHeaderSize`: Node counts request line and headers against one cap and answers 431. We size it to the
 *   largest head gunicorn accepts (line + CRLF, plus gunicorn's own header-buffer bound `fields × (size + 2) + 4`),
 *   capped at 1 MiB, so Node never refuses what gunicorn allows; {@link checkRequest} then applies the exact
 *   per-line limits.
 * - `maxHeadersCount` = fields + 1: Node silently drops headers past this count instead of failing, so we keep
 *   one extra to detect the overflow (→ 431) while bounding memory.
 * - `headersTimeout` = `timeout`: a gunicorn sync worker is killed after `timeout` seconds stuck reading a slow
 *   client; in Node the same budget cuts off slowloris clients with 408 without touching the worker.
 * - `requestTimeout` stays Node's 300 s (raised to `headersTimeout` if larger; Node requires that order): Node
 *   keeps serving other clients during a slow upload, so there is no reason to cut uploads at `timeout`.
 * - `connectionsCheckingInterval`: Node checks both timeouts only this often (default 30 s, which would let a
 *   2 s budget run to 32 s); a tenth of the headers timeout, between 1 and 30 s.
 * - `keepAliveTimeout` = `keepAlive` seconds. Node treats 0 as "never time out", the opposite of gunicorn's
 *   "no keep-alive", so 0 maps to `maxRequestsPerSocket: 1` and {@link HttpServerLimits.keepAlive} `false`.
 * - `maxConnections` = `workerConnections`. Note Node accepts and then closes connections over the limit.
 * - `requireHostHeader` on (RFC 9112 §3.2; gunicorn does not check) and `insecureHTTPParser` off, explicitly.
 */
export function httpServerLimits(settings: LimitSettings): HttpServerLimits {
  const limits = effectiveLimits(settings);
  const line = Number.isFinite(limits.requestLine) ? limits.requestLine : UNLIMITED_LINE_ALLOWANCE;
  const head = line + 2 + limits.fields * (limits.fieldSize + 2) + 4;
  const headersTimeout = settings.timeout > 0 ? Math.round(settings.timeout * 1000) : NODE_HEADERS_TIMEOUT;
  const keepAlive = settings.keepAlive > 0;
  const serverOptions: ServerOptions = {
    maxHeaderSize: Math.min(head, MAX_HEADER_SIZE_CAP),
    headersTimeout,
    requestTimeout: Math.max(NODE_REQUEST_TIMEOUT, headersTimeout),
    connectionsCheckingInterval: Math.min(30_000, Math.max(1000, Math.round(headersTimeout / 10))),
    keepAliveTimeout: keepAlive ? Math.round(settings.keepAlive * 1000) : 1,
    requireHostHeader: true,
    insecureHTTPParser: false,
    joinDuplicateHeaders: false,
  };
  const connections = settings.workerConnections;
  return {
    serverOptions,
    properties: {
      maxHeadersCount: limits.fields + 1,
      maxRequestsPerSocket: keepAlive ? 0 : 1,
      maxConnections: connections !== undefined && connections > 0 ? connections : undefined,
    },
    keepAlive,
    limits,
  };
}

/** Assigns {@link HttpServerLimits.properties} on a server created with its `serverOptions`. */
export function applyServerLimits(
  server: { maxHeadersCount: number | null; maxRequestsPerSocket: number | null; maxConnections: number },
  result: HttpServerLimits,
): void {
  server.maxHeadersCount = result.properties.maxHeadersCount;
  server.maxRequestsPerSocket = result.properties.maxRequestsPerSocket;
  if (result.properties.maxConnections !== undefined) server.maxConnections = result.properties.maxConnections;
}
