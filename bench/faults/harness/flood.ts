/**
 * A flood of raw connections, each sending one `Connection: close` request at once, with what the kernel
 * says about the ones still unanswered at the deadline. Past the listen backlog, Linux neither accepts nor
 * refuses: with SYN cookies the client's handshake completes, the kernel drops its ACK and request while the
 * accept queue is full, and the client retransmits them with exponential backoff. Such a connection is not
 * lost by the server (no server-side socket exists) but may wait longer than any test. So each unanswered
 * connection is classified by `ss` from the server's side: not there, queued in the backlog (no owner), or
 * held by a process — the only case in which the server accepted a request and did not answer it.
 */
import { execFile } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Where an unanswered connection stands on the server's side at the deadline. */
export type ServerSide = 'none' | 'backlog' | 'accepted';

/** What a flood saw. */
export interface FloodResult {
  /** Connections answered with a 200. */
  readonly answered: number;
  /** Connections the server answered with another status. */
  readonly otherStatus: Record<string, number>;
  /** Connections the server closed or reset, after the handshake, without answering: accepted, then dropped. */
  readonly dropped: number;
  /** Connections refused during the handshake (the kernel's answer past the backlog on some systems). */
  readonly refused: number;
  /** Unanswered at the deadline, by where the server side stood. */
  readonly waiting: Record<ServerSide, number>;
  /** The largest accept-queue length (`ss -ltn` Recv-Q) seen while the flood ran. */
  readonly peakQueue: number;
}

/** Options for {@link flood}. */
export interface FloodOptions {
  readonly port: number;
  readonly connections: number;
  /** The request every connection sends (it should ask the server to close). */
  readonly request: string;
  /** How long the flood may take before the unanswered connections are classified and closed. */
  readonly waitMs: number;
  /** How long a connection the server holds at the deadline gets to be answered before it counts as hung. */
  readonly graceMs?: number;
  /** Runs once the flood is over or the deadline has passed, before the unanswered connections are classified. */
  readonly atDeadline?: () => Promise<void>;
}

function ss(args: readonly string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile('ss', ['-H', ...args], (err, stdout) => resolve(err ? '' : stdout));
  });
}

/** The listening socket's accept-queue length on `port` (Recv-Q of `ss -ltn`). */
export async function listenQueue(port: number): Promise<number> {
  const out = await ss(['-ltn', `( sport = :${port} )`]);
  const m = /^\S+\s+(\d+)/m.exec(out);
  return m ? Number(m[1]) : 0;
}

/** Server-side sockets on `port`, by the client's port: `accepted` when a process holds it, else `backlog`. */
async function serverSides(port: number): Promise<Map<number, ServerSide>> {
  const out = await ss(['-tanp', `( sport = :${port} )`]);
  const sides = new Map<number, ServerSide>();
  for (const line of out.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const [state, , , , peer] = fields;
    if (!state || !peer || state === 'LISTEN' || state === 'TIME-WAIT') continue;
    const peerPort = Number(peer.slice(peer.lastIndexOf(':') + 1));
    sides.set(peerPort, line.includes('pid=') ? 'accepted' : 'backlog');
  }
  return sides;
}

interface Conn {
  readonly socket: Socket;
  response: string;
  connected: boolean;
  closed: boolean;
}

/** Opens every connection at once, waits for the answers, then classifies and closes what is left. */
export async function flood(opts: FloodOptions): Promise<FloodResult> {
  const conns: Conn[] = Array.from({ length: opts.connections }, () => {
    const socket = connect({ host: '127.0.0.1', port: opts.port }, () => {
      conn.connected = true;
      socket.write(opts.request);
    });
    const conn: Conn = { socket, response: '', connected: false, closed: false };
    socket.setEncoding('latin1');
    socket.on('data', (c: string) => {
      conn.response += c;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      conn.closed = true;
    });
    return conn;
  });
  const end = Date.now() + opts.waitMs;
  let peakQueue = 0;
  while (Date.now() < end && !conns.every((c) => c.closed)) {
    peakQueue = Math.max(peakQueue, await listenQueue(opts.port));
    await sleep(100);
  }
  await opts.atDeadline?.();
  const waiting: Record<ServerSide, number> = { none: 0, backlog: 0, accepted: 0 };
  let open = conns.filter((c) => !c.closed);
  if (open.length > 0) {
    // A connection the worker took just before the deadline gets its grace to be answered.
    const held = await serverSides(opts.port);
    const accepted = open.filter((c) => held.get(c.socket.localPort ?? 0) === 'accepted');
    const graceEnd = Date.now() + (opts.graceMs ?? 3000);
    while (Date.now() < graceEnd && accepted.some((c) => !c.closed)) await sleep(50);
    open = conns.filter((c) => !c.closed);
    for (const c of open) waiting[held.get(c.socket.localPort ?? 0) ?? 'none']++;
    for (const c of open) c.socket.destroy();
  }
  let answered = 0;
  let dropped = 0;
  let refused = 0;
  const otherStatus: Record<string, number> = {};
  for (const c of conns.filter((c) => c.closed)) {
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(c.response)?.[1];
    if (status === '200') answered++;
    else if (status) otherStatus[status] = (otherStatus[status] ?? 0) + 1;
    else if (c.connected) dropped++;
    else refused++;
  }
  return { answered, otherStatus, dropped, refused, waiting, peakQueue };
}
