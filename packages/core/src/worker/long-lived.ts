/**
 * The long-lived connections of a worker: upgraded connections (WebSockets) and server-sent-event responses,
 * which would otherwise hold a graceful stop open until `--graceful-timeout`. Neither is visible to Node's
 * `http.Server` once it started: an upgraded socket leaves the HTTP parser, and an event stream is a response
 * that never ends.
 *
 * Tracking costs nothing per request: connections are recorded when accepted (one Set entry each), upgrades
 * when the server emits `upgrade`, and the open response of a connection is read only when a drain begins.
 * Upgrades are seen by wrapping the server's own `emit` rather than by adding an `upgrade` listener: Node
 * serves an `Upgrade:` request as a plain request when the server has no `upgrade` listener, and a listener of
 * tgun's would take that fallback away from apps without WebSockets. The same wrapper watches for socket.io
 * polling sessions that reached the wrong worker (`polling-sessions.ts`).
 *
 * HTTP/2 sessions are long-lived too: a client keeps one open and sends every request on it. They are tracked
 * from the server's `session` event; when the drain begins they get GOAWAY, so clients open their next
 * session on a worker that is not draining while the streams in flight finish.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2Session } from 'node:http2';
import type { Server as NetServer, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { EventStream, UpgradedConnection } from '../hooks/types.js';
import type { Logger } from '../logging/types.js';
import { plainAnswer } from './plain-answer.js';
import { webSocketOf } from './going-away.js';
import { pollingSessionWatch } from './polling-sessions.js';

/** Every long-lived connection of a worker, across its servers. */
export interface LongLived {
  /** Starts tracking `server`'s connections and upgrades. */
  track(server: NetServer): void;
  /**
   * From now on, take no new long-lived work: an upgrade request is answered 503 with `Connection: close`
   * instead of reaching the app, and every HTTP/2 session (open now or accepted later) gets GOAWAY.
   */
  refuseUpgrades(): void;
  /** Upgraded connections still open. */
  upgraded(): UpgradedConnection[];
  /** Event-stream responses still being written. */
  eventStreams(): EventStream[];
  /** HTTP/2 sessions still open. */
  sessions(): Http2Session[];
}

type WithResponse = Socket & { _httpMessage?: ServerResponse | null };
type WithHeader = ServerResponse & { _header?: string | null };

const EVENT_STREAM_HEAD = /\r\ncontent-type:[ \t]*text\/event-stream/i;

/** Whether `res` is an event stream whose head went out and whose body has not ended. */
function isOpenEventStream(res: ServerResponse): boolean {
  if (!res.headersSent || res.writableEnded) return false;
  const type = res.getHeader('content-type');
  if (typeof type === 'string') return /^text\/event-stream/i.test(type);
  // writeHead(status, headers) with no setHeader() before it stores nothing getHeader() can read; the head
  // that was written still says it.
  const head = (res as WithHeader)._header;
  return typeof head === 'string' && EVENT_STREAM_HEAD.test(head);
}

function isWebSocketRequest(req: IncomingMessage): boolean {
  return String(req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

/**
 * Logs what a `ws` WebSocket reports as an error (an oversized frame: `Max payload size exceeded`, an invalid
 * frame), after ws has already closed it with the code the protocol asks for. Without a listener, ws's `error`
 * event would be thrown and take the worker down with every other client on it.
 */
function logSocketErrors(socket: Duplex, req: IncomingMessage, log: Logger | undefined): void {
  // Read now: once ws has destroyed the socket, its address is gone.
  const peer = req.socket.remoteAddress ?? 'unix';
  const attach = () => {
    const ws = webSocketOf(socket);
    if (!ws) return;
    ws.on('error', (err: Error) => {
      log?.warning(`WebSocket error from ip=${peer} ${req.url ?? ''}: ${err.message}`);
    });
  };
  // ws takes the socket within the `upgrade` listener, or a tick later when it verifies the client first.
  if (webSocketOf(socket)) attach();
  else setImmediate(attach);
}

/** Creates the tracker; `log` receives WebSocket errors and refused upgrades. */
export function createLongLived(log?: Logger): LongLived {
  const sockets = new Set<Socket>();
  const upgrades = new Map<Duplex, UpgradedConnection>();
  let refusing = false;
  const watchPolling = pollingSessionWatch(log);
  const sessions = new Set<Http2Session>();

  const onSession = (session: Http2Session): void => {
    if (refusing) {
      session.close();
      return;
    }
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex): boolean => {
    if (refusing) {
      log?.debug(`Upgrade refused while the worker drains: ${req.url ?? ''}`);
      socket.end(plainAnswer(503, 'Service Unavailable'));
      return false;
    }
    upgrades.set(socket, { req, socket, websocket: isWebSocketRequest(req) });
    socket.once('close', () => upgrades.delete(socket));
    return true;
  };

  return {
    track(server) {
      server.on('connection', (socket: Socket) => {
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
      });
      // Never emitted by an HTTP/1.1-only server; emitted by the HTTP/2 ones (the h2c server's are forwarded).
      server.on('session', onSession);
      type Emit = (this: NetServer, event: string | symbol, ...args: unknown[]) => boolean;
      const emit = server.emit as Emit;
      // The wrapper stays on the instance: Node reads `server.emit` on every event it raises.
      const wrapped: Emit = function (event, ...args) {
        if (event === 'upgrade') {
          const [req, socket] = args as [IncomingMessage, Duplex];
          if (!onUpgrade(req, socket)) return true;
          const handled = emit.call(this, event, ...args);
          if (isWebSocketRequest(req)) logSocketErrors(socket, req, log);
          return handled;
        }
        if (event === 'request') watchPolling(args[0] as IncomingMessage, args[1] as ServerResponse);
        return emit.call(this, event, ...args);
      };
      server.emit = wrapped as NetServer['emit'];
    },
    refuseUpgrades() {
      refusing = true;
      // `close()` sends GOAWAY and lets the streams in flight finish; the session ends after the last one.
      for (const session of sessions) if (!session.closed) session.close();
    },
    sessions: () => [...sessions].filter((s) => !s.destroyed),
    upgraded: () => [...upgrades.values()].filter((u) => !u.socket.destroyed),
    eventStreams() {
      const out: EventStream[] = [];
      for (const socket of sockets) {
        const res = (socket as WithResponse)._httpMessage;
        if (res && isOpenEventStream(res)) out.push({ req: res.req, res });
      }
      return out;
    },
  };
}
