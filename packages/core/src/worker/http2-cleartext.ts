/**
 * h2c with prior knowledge on a port that also speaks HTTP/1.1. Node's `http2.createServer` cannot fall back
 * to HTTP/1.1, so a plain `net.Server` in front reads the first bytes of each connection: the 24-byte HTTP/2
 * client preface (`PRI * HTTP/2.0…`) sends the connection to the HTTP/2 server, anything else to the
 * HTTP/1.1 server. The bytes read are put back with `unshift`; both servers read what is buffered first.
 *
 * Only peers in `forwardedAllowIps` get the HTTP/2 server, as in gunicorn: h2c is meant for a trusted proxy. An
 * untrusted peer goes straight to HTTP/1.1, where the preface is refused as an invalid HTTP version (400).
 */
import type { Server as HttpServer } from 'node:http';
import type { Http2Server } from 'node:http2';
import { createServer, type Server as NetServer, type Socket } from 'node:net';

/** RFC 9113 §3.4: what every HTTP/2 client sends first. */
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/** Whether `head` is still a prefix of the preface (or the whole of it). */
function mayBePreface(head: Buffer): boolean {
  const n = Math.min(head.length, PREFACE.length);
  return head.subarray(0, n).equals(PREFACE.subarray(0, n));
}

/** Reads until the first bytes prove or rule out the preface; resolves `null` when the peer left first. */
function sniff(socket: Socket, timeoutMs: number): Promise<{ h2: boolean; head: Buffer } | null> {
  return new Promise((resolve) => {
    let head: Buffer = Buffer.alloc(0);
    // A peer that sends nothing gets the same budget as a slow HTTP/1.1 head (`headersTimeout`).
    const timer = setTimeout(() => done(null), timeoutMs);
    const done = (result: { h2: boolean; head: Buffer } | null) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      if (!mayBePreface(head)) done({ h2: false, head });
      else if (head.length >= PREFACE.length) done({ h2: true, head });
    };
    const onClose = () => done(null);
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}

/** Where the front sends connections. */
export interface CleartextTargets {
  /** Receives HTTP/1.1 connections (`emit('connection')`). */
  readonly h1: HttpServer;
  readonly h2: Http2Server;
  /** How long a trusted peer may take to send its first bytes, in ms. */
  readonly timeoutMs: number;
  /** Whether the peer may speak h2c. */
  trusted(socket: Socket): boolean;
}

/** Hands a connection to whichever server speaks what it opened with. */
export function routeCleartext(targets: CleartextTargets, socket: Socket): void {
  if (!targets.trusted(socket)) {
    targets.h1.emit('connection', socket);
    return;
  }
  void sniff(socket, targets.timeoutMs).then((result) => {
    if (result === null) {
      socket.destroy();
      return;
    }
    socket.unshift(result.head);
    if (result.h2) {
      // The session reads what is buffered on the socket, then takes over its handle.
      targets.h2.emit('connection', socket);
      return;
    }
    targets.h1.emit('connection', socket);
    // The HTTP/1.1 parser reads the buffered bytes from `data` events, which a paused socket never emits.
    socket.resume();
  });
}

/** A server that routes each accepted connection with {@link routeCleartext}; it is what listens. */
export function cleartextFront(targets: CleartextTargets): NetServer {
  return createServer((socket) => routeCleartext(targets, socket));
}
