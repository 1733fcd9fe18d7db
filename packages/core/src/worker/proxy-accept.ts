/**
 * PROXY protocol in front of one of tgun's HTTP servers (`proxyProtocol` other than `off`): a plain
 * `net.Server` accepts on the inherited socket, reads the optional PROXY header, then hands the connection to
 * the HTTP (or HTTPS) server with `emit('connection')`.
 *
 * The client address from the header replaces the socket's own: `socket.remoteAddress`, `remotePort` and
 * `remoteFamily` are redefined on that socket object, so every framework (`req.ip` in Express, Koa and
 * Fastify without proxy trust), the access log and `forwardedAllowIps` see the real client. No header is
 * invented: `X-Forwarded-For` stays whatever the client sent (and is stripped unless that client is trusted).
 */
import { STATUS_CODES, type Server as HttpServer } from 'node:http';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import {
  type ProxiedConnection,
  ProxyProtocolError,
  type ReadProxyHeaderOptions,
  readProxyHeader,
} from '../http/proxy-protocol.js';
import type { Logger } from '../logging/types.js';
import { plainAnswer } from './plain-answer.js';

/** Makes `socket` report the client address the PROXY header carried. */
export function exposeProxiedSource(socket: Socket, header: ProxiedConnection): void {
  const define = (name: string, value: string | number) =>
    Object.defineProperty(socket, name, { value, configurable: true, enumerable: true });
  define('remoteAddress', header.remoteAddress);
  define('remotePort', header.remotePort);
  define('remoteFamily', header.family === 'tcp6' ? 'IPv6' : 'IPv4');
}

/** A server that reads the PROXY header of each connection, then passes the connection to `http`. */
export function proxyFront(http: HttpServer, options: ReadProxyHeaderOptions, log: Logger): NetServer {
  return createServer((socket) => {
    readProxyHeader(socket, options).then(
      (header) => {
        if (header?.command === 'proxy') exposeProxiedSource(socket, header);
        http.emit('connection', socket);
      },
      (err: unknown) => {
        const status = err instanceof ProxyProtocolError ? err.status : undefined;
        if (status !== undefined) {
          log.warning(`Invalid PROXY header from ip=${socket.remoteAddress ?? 'unix'}: ${(err as Error).message}`);
          if (socket.writable) socket.write(plainAnswer(status, STATUS_CODES[status] ?? 'Bad Request'));
        }
        socket.destroy();
      },
    );
  });
}
