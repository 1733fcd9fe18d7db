/**
 * tgun's HTTP/2 servers, built from the "HTTP/2" settings: over TLS an `Http2SecureServer` that negotiates
 * h2 (and, with `h1` listed, HTTP/1.1) through ALPN; without TLS, with `http2Cleartext: 'prior-knowledge'`, a
 * plain `Http2Server` fed by the cleartext front (`http2-cleartext.ts`). Apps get Node's compatibility API:
 * `Http2ServerRequest`/`Http2ServerResponse`, the same `(req, res)` listener shape as HTTP/1.1.
 *
 * Session-level failures (a broken frame, a protocol error) never reach the app; they are logged here so an
 * operator sees why a client's connection ended.
 */
import type { RequestListener } from 'node:http';
import {
  createSecureServer,
  createServer as createPlainServer,
  type Http2SecureServer,
  type Http2Server,
  type Http2Session,
  type SecureServerOptions,
  type Settings,
} from 'node:http2';
import type { Socket } from 'node:net';
import type { TlsOptions } from 'node:tls';
import type { HttpServerLimits } from '../http/limits.js';
import type { Logger } from '../logging/types.js';
import type { TgunConfig } from '../settings/registry.js';

/** What the HTTP/2 settings turn on. */
export interface Http2Plan {
  /** HTTP/1.1 is offered. */
  readonly h1: boolean;
  /** HTTP/2 is offered (over TLS through ALPN; in cleartext only with {@link Http2Plan.priorKnowledge}). */
  readonly h2: boolean;
  /** Trusted cleartext peers may open with the HTTP/2 preface. */
  readonly priorKnowledge: boolean;
  /** The SETTINGS frame tgun sends. */
  readonly settings: Settings;
  /** `http2MaxHeaderListSize`, which tgun enforces itself (Node only advertises it). */
  readonly maxHeaderListSize: number;
}

/** Reads the HTTP/2 settings. */
export function http2Plan(config: TgunConfig): Http2Plan {
  const h2 = config.httpProtocols.includes('h2');
  return {
    h1: config.httpProtocols.includes('h1'),
    h2,
    priorKnowledge: h2 && config.http2Cleartext === 'prior-knowledge',
    settings: {
      maxConcurrentStreams: config.http2MaxConcurrentStreams,
      initialWindowSize: config.http2InitialWindowSize,
      maxFrameSize: config.http2MaxFrameSize,
      maxHeaderListSize: config.http2MaxHeaderListSize,
    },
    maxHeaderListSize: config.http2MaxHeaderListSize,
  };
}

type Http2Any = Http2SecureServer | Http2Server;

function peerOf(session: Http2Session): string {
  return session.socket?.remoteAddress ?? 'unix';
}

/** Logs what ends a session or a stream without reaching the app. */
function logFailures(server: Http2Any, log: Logger): void {
  server.on('sessionError', (err: Error, session: Http2Session) => {
    log.warning(`HTTP/2 session error from ip=${peerOf(session)}: ${err.message}`);
  });
  server.on('session', (session: Http2Session) => {
    session.on('frameError', (type: number, code: number, id: number) => {
      log.debug(`HTTP/2 frame error from ip=${peerOf(session)}: frame type ${type} on stream ${id}, code ${code}`);
    });
  });
}

/**
 * Gives the HTTP/1.1 fallback of a secure server tgun's limits. `Http2SecureServer` runs Node's HTTP/1.1
 * connection handling with itself as the server, so the parser reads these as properties, not options.
 */
function applyHttp1Limits(server: Http2SecureServer, limits: HttpServerLimits): void {
  const o = limits.serverOptions;
  Object.assign(server, {
    maxHeaderSize: o.maxHeaderSize,
    headersTimeout: o.headersTimeout,
    requestTimeout: o.requestTimeout,
    keepAliveTimeout: o.keepAliveTimeout,
    requireHostHeader: true,
    insecureHTTPParser: false,
    joinDuplicateHeaders: false,
    maxHeadersCount: limits.properties.maxHeadersCount,
    maxRequestsPerSocket: limits.properties.maxRequestsPerSocket,
  });
}

/** The TLS server: h2 through ALPN, with the HTTP/1.1 fallback when `h1` is listed. */
export function createSecureHttp2(
  plan: Http2Plan,
  tls: TlsOptions,
  limits: HttpServerLimits,
  handler: RequestListener,
  log: Logger,
): Http2SecureServer {
  const options: SecureServerOptions = { ...tls, allowHTTP1: plan.h1, settings: plan.settings };
  // The compat API hands Http2ServerRequest/Http2ServerResponse to the same listener shape.
  const server = createSecureServer(options, handler as unknown as Parameters<typeof createSecureServer>[1]);
  if (plan.h1) applyHttp1Limits(server, limits);
  if (limits.properties.maxConnections !== undefined) server.maxConnections = limits.properties.maxConnections;
  logFailures(server, log);
  // Only without `h1`: a client that did not negotiate h2 is told why in the log, then dropped.
  server.on('unknownProtocol', (socket: Socket) => {
    log.warning(`Client at ip=${socket.remoteAddress ?? 'unix'} did not offer h2 (HTTP/1.1 is not enabled)`);
    socket.destroy();
  });
  return server;
}

/** The cleartext (h2c) server; it never listens, the cleartext front hands it connections. */
export function createCleartextHttp2(plan: Http2Plan, handler: RequestListener, log: Logger): Http2Server {
  const server = createPlainServer(
    { settings: plan.settings },
    handler as unknown as Parameters<typeof createPlainServer>[1],
  );
  logFailures(server, log);
  return server;
}
