/**
 * Ending long-lived connections deliberately when a worker drains, so clients reconnect (to a new worker)
 * right away instead of holding the old one until `--graceful-timeout`.
 *
 * A WebSocket that belongs to the `ws` library (ws itself, socket.io's engine.io, @fastify/websocket) is closed
 * through ws: `close(1001)` queues the close frame behind any frame ws is sending, waits for the client's own
 * close frame and then ends the socket, a complete closing handshake. For any other WebSocket tgun writes the
 * 4-byte close frame (FIN + opcode 8, no mask, payload 1001) on the raw socket and ends it. That is safe between
 * frames: it runs as its own macrotask, and a WebSocket writer such as ws's sender hands each frame to the socket
 * in one synchronous `write` (header and payload corked together), so no frame can be half-written when it runs.
 * An event stream is ended (its final chunk written) and its connection closed, so the client's reconnect opens
 * a new connection, accepted by a worker that is not draining.
 */
import type { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import type { EventStream, LongLivedConnections, UpgradedConnection } from '../hooks/types.js';
import type { LongLived } from './long-lived.js';

/** RFC 6455 §7.4.1: the endpoint is going away (a server going down). */
export const GOING_AWAY = 1001;

/** A close frame from a server (unmasked) with status 1001 and no reason. */
const CLOSE_FRAME_1001 = Buffer.from([0x88, 0x02, GOING_AWAY >> 8, GOING_AWAY & 0xff]);

/** The part of a `ws` WebSocket tgun uses. */
export interface WsLike extends EventEmitter {
  readonly readyState: number;
  close(code?: number, reason?: string): void;
}

const WS_OPEN = 1;

/**
 * The `ws` WebSocket that owns `socket`, if any. ws marks the socket it takes with a symbol described
 * `websocket` (`kWebSocket` in ws's constants); it is not exported, so it is found by its description.
 */
export function webSocketOf(socket: Duplex): WsLike | null {
  for (const sym of Object.getOwnPropertySymbols(socket)) {
    if (sym.description !== 'websocket') continue;
    const ws = (socket as unknown as Record<symbol, unknown>)[sym];
    if (ws !== null && typeof ws === 'object' && typeof (ws as WsLike).close === 'function') return ws as WsLike;
  }
  return null;
}

/** Sends 1001 on one upgraded connection, the way that suits who owns it. */
export function closeUpgraded(conn: UpgradedConnection): void {
  const { socket } = conn;
  if (socket.destroyed) return;
  const ws = webSocketOf(socket);
  if (ws) {
    if (ws.readyState === WS_OPEN) ws.close(GOING_AWAY, 'going away');
    return;
  }
  if (conn.websocket && socket.writable) socket.write(CLOSE_FRAME_1001);
  socket.end();
}

/** Ends one event stream and then its connection. */
export function endEventStream(stream: EventStream): void {
  const { res } = stream;
  const socket = res.socket;
  res.end();
  if (!socket) return;
  if (res.writableFinished) socket.end();
  else res.once('finish', () => socket.end());
}

/** The hook's view of what is open now, with tgun's default action. */
export function longLivedView(tracker: LongLived): LongLivedConnections {
  const upgraded = tracker.upgraded();
  const eventStreams = tracker.eventStreams();
  return {
    upgraded,
    eventStreams,
    goAway() {
      for (const conn of upgraded) closeUpgraded(conn);
      for (const stream of eventStreams) endEventStream(stream);
    },
  };
}

/** Destroys whatever long-lived connection is still open: its client had its grace to close. */
export function destroyLongLived(tracker: LongLived): number {
  let n = 0;
  for (const { socket } of tracker.upgraded()) {
    socket.destroy();
    n++;
  }
  for (const { res } of tracker.eventStreams()) {
    res.destroy();
    n++;
  }
  // Sessions that had GOAWAY but still carry a stream (an HTTP/2 event stream, a slow upload).
  for (const session of tracker.sessions()) {
    session.destroy();
    n++;
  }
  return n;
}
