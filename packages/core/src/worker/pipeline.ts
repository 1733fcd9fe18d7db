/**
 * The worker's HTTP pipeline, built once from the configuration: the `http.Server`/`https.Server` options
 * and limits, the per-request guard (`http-guard.ts`), and the sinks every finished response feeds
 * (`response-end.ts`: in-flight and Prometheus counters, StatsD, the access log).
 *
 * With `h2` in `httpProtocols`, tgun's server over TLS is an HTTP/2 server with the HTTP/1.1 fallback
 * (`http2-servers.ts`), and in cleartext with `http2Cleartext` a front routes each connection by its first
 * bytes (`http2-cleartext.ts`). HTTP/2 requests take the same request path through Node's compatibility API.
 *
 * tgun's own servers get all of it. An app's own server (Fastify) keeps its options and listeners, so it only
 * gets the observing half: counters, StatsD and the access log.
 */
import {
  createServer as createHttpServer,
  type RequestListener,
  type Server as HttpServer,
  STATUS_CODES,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Http2Server } from 'node:http2';
import type { Server as NetServer, Socket } from 'node:net';
import { applyServerLimits, clientErrorStatus, type HttpServerLimits, httpServerLimits } from '../http/limits.js';
import { buildTlsOptions } from '../http/tls.js';
import { compileAllowIps, compileSchemeHeaders } from '../http/trust.js';
import type { Logger } from '../logging/types.js';
import { createStatsd, type StatsdClient } from '../metrics/statsd.js';
import type { TgunConfig } from '../settings/registry.js';
import { type AccessLog, accessLogWanted, openAccessLog } from './access-log.js';
import { createGuard, guardRequest, peerTrusted, type RequestGuard } from './http-guard.js';
import { isHttp2Request } from './http2-request.js';
import { cleartextFront } from './http2-cleartext.js';
import { createCleartextHttp2, createSecureHttp2, http2Plan } from './http2-servers.js';
import { markPeer, markScheme, markStart, responseEnd } from './response-end.js';
import { plainAnswer } from './plain-answer.js';
import { proxyFront } from './proxy-accept.js';
import { rejectedRecord } from './rejected-access.js';
import { onReopen } from './signals.js';

/** A built pipeline. */
export interface HttpPipeline {
  readonly limits: HttpServerLimits;
  /** Whether tgun serves HTTPS (certfile and keyfile set). */
  readonly tls: boolean;
  /** Creates one of tgun's servers around `listener` (the app behind the request path). */
  createServer(listener: RequestListener): HttpServer;
  /**
   * What listens for `server`: the server itself, or with `proxyProtocol` on, a PROXY-header reader that
   * hands each connection on to it.
   */
  acceptor(server: HttpServer): NetServer;
  /** Puts the observing half in front of an app-owned server's listeners. */
  observe(server: HttpServer): void;
  /** Closes the access log and the StatsD socket. */
  close(): void;
}

type Answerable = Socket & { _httpMessage?: { headersSent?: boolean } | null };

function peer(socket: Socket): string {
  return socket.remoteAddress ?? 'unix';
}

/**
 * The log text for a parser rejection. Node reports an oversized head as "Header overflow", and so does Node 26's
 * parser for too many header lines (Node 20 leaves that to tgun's own check), without saying which; operators get
 * gunicorn's wording on every line, with Node's own in brackets.
 */
function describeClientError(err: Error & { code?: string }): string {
  if (err.code === 'HPE_HEADER_OVERFLOW') return `limit request headers fields or size exceeded (${err.message})`;
  return err.message;
}

/** Node's `clientError` (malformed head, header overflow, slow client): answer gunicorn's status, then drop. */
function clientErrorHandler(log: Logger, accessLog: AccessLog | null) {
  return (err: Error & { code?: string; rawPacket?: Buffer }, socket: Socket) => {
    const answer = clientErrorStatus(err);
    if (answer !== undefined) {
      if (answer.status === 408) log.debug(`Request timeout from ip=${peer(socket)}`);
      else log.warning(`Invalid request from ip=${peer(socket)}: ${describeClientError(err)}`);
      const s = socket as Answerable;
      // Only when no response has started on this connection, as Node's own handler does.
      if (s.writable && !s._httpMessage?.headersSent) {
        s.write(plainAnswer(answer.status, answer.reason));
        accessLog?.write(rejectedRecord(socket, answer.status, answer.reason.length + 1, err.rawPacket));
      }
    }
    socket.destroy();
  };
}

async function startStatsd(config: TgunConfig, log: Logger): Promise<StatsdClient | null> {
  if (!config.statsdHost) return null;
  let reported = false;
  return createStatsd({
    host: config.statsdHost,
    prefix: config.statsdPrefix,
    tags: config.dogstatsdTags,
    onError: (err) => {
      if (reported) return;
      reported = true;
      log.warning(`StatsD: ${err.message} (further StatsD errors are not logged)`);
    },
  });
}

function tlsOptions(config: TgunConfig) {
  if (!config.certfile || !config.keyfile) return undefined;
  return config.sslContext(config, () => buildTlsOptions(config) ?? {});
}

/** Builds the pipeline; throws with a clear message when the access log or TLS files cannot be used. */
export async function createPipeline(config: TgunConfig, log: Logger): Promise<HttpPipeline> {
  const limits = httpServerLimits(config);
  const h2 = http2Plan(config);
  const guard: RequestGuard = createGuard({
    limits: limits.limits,
    http2MaxHeaderListSize: h2.maxHeaderListSize,
    headerMap: config.headerMap,
    forwarderHeaders: new Set(config.forwarderHeaders.map((h) => h.toLowerCase())),
    trust: compileAllowIps(config.forwardedAllowIps),
    schemeHeaders: compileSchemeHeaders(config.secureSchemeHeaders),
  });
  const tls = tlsOptions(config);
  const accessLog: AccessLog | null = accessLogWanted(config.accessLog, log)
    ? openAccessLog({ target: config.accessLog ?? '-', format: config.accessLogFormat, cwd: config.chdir, log })
    : null;
  if (accessLog !== null) onReopen(() => accessLog.reopen());
  const statsd = await startStatsd(config, log);
  const closed = responseEnd(accessLog, statsd);
  const scheme = tls === undefined ? 'http' : 'https';
  const keepAlive = limits.keepAlive;
  const headersTimeout = limits.serverOptions.headersTimeout ?? 60_000;

  // Connections whose request was refused: Node's parser may already have read requests pipelined behind it
  // (a smuggled one, say). Left unanswered, they end with the connection when the refusal's
  // `Connection: close` answer has been sent, as gunicorn serves nothing after an error.
  const refused = new WeakSet<Socket>();
  const cleartext = new WeakMap<HttpServer, Http2Server>();
  const front =
    (listener: RequestListener): RequestListener =>
    (req, res) => {
      if (refused.has(req.socket)) return;
      markStart(res);
      if (isHttp2Request(req)) markPeer(res, req.socket);
      res.on('close', closed);
      if (!keepAlive) res.shouldKeepAlive = false;
      const verdict = guardRequest(guard, req, scheme);
      if (typeof verdict === 'object') {
        log.warning(`Invalid request from ip=${peer(req.socket)}: ${verdict.message}`);
        res.shouldKeepAlive = false;
        refused.add(req.socket);
        // The reason phrase only: the log message quotes client input, which is not echoed back.
        const body = `${STATUS_CODES[verdict.status] ?? 'Bad Request'}\n`;
        const head = { 'content-type': 'text/plain', 'content-length': body.length };
        // HTTP/2 forbids connection headers (the compat API drops them with a warning); its stream just ends.
        res.writeHead(verdict.status, isHttp2Request(req) ? head : { connection: 'close', ...head });
        res.end(body);
        return;
      }
      markScheme(res, verdict);
      listener(req, res);
    };

  return {
    limits,
    tls: tls !== undefined,
    createServer(listener) {
      const handler = front(listener);
      // The servers that take HTTP/2 are handed around as http.Server, as the https one already is: tgun only
      // uses the `net.Server` half of them, and apps only see their `request` (and `upgrade`) events.
      if (tls !== undefined && h2.h2) {
        const secure = createSecureHttp2(h2, tls, limits, handler, log) as unknown as HttpServer;
        secure.on('clientError', clientErrorHandler(log, accessLog));
        return secure;
      }
      const server: HttpServer =
        tls === undefined
          ? createHttpServer(limits.serverOptions, handler)
          : (createHttpsServer({ ...limits.serverOptions, ...tls }, handler) as unknown as HttpServer);
      applyServerLimits(server, limits);
      server.on('clientError', clientErrorHandler(log, accessLog));
      if (tls === undefined && h2.priorKnowledge) {
        const h2c = createCleartextHttp2(h2, handler, log);
        // Sessions surface on the HTTP/1.1 server, which is the one the worker tracks for the drain.
        h2c.on('session', (session) => server.emit('session', session));
        cleartext.set(server, h2c);
      }
      return server;
    },
    acceptor(server) {
      const h2c = cleartext.get(server);
      const first: NetServer =
        h2c === undefined
          ? server
          : cleartextFront({ h1: server, h2: h2c, timeoutMs: headersTimeout, trusted: (s) => peerTrusted(guard, s) });
      if (config.proxyProtocol === 'off') return first;
      const proxyAllowIps = compileAllowIps(config.proxyAllowIps);
      // The PROXY reader only calls `emit('connection')`, which the cleartext front answers like a listener.
      const next = first as HttpServer;
      return proxyFront(next, { mode: config.proxyProtocol, proxyAllowIps, timeoutMs: headersTimeout }, log);
    },
    observe(server) {
      server.prependListener('request', (_req, res) => {
        markStart(res);
        res.on('close', closed);
      });
    },
    close() {
      accessLog?.close();
      statsd?.close();
    },
  };
}
