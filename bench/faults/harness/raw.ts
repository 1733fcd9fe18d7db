/**
 * Raw TCP exchanges for misbehaving clients: write bytes exactly as given (no HTTP library in the way),
 * optionally half-close, and record what came back and whether the server closed the connection.
 */
import { connect, type Socket } from 'node:net';

/** What one raw exchange saw. */
export interface RawResult {
  /** Everything the server sent. */
  readonly response: string;
  /** The status of the first response line, or null when none came. */
  readonly status: number | null;
  /** The server closed the connection (FIN or RST) before the deadline. */
  readonly closedByServer: boolean;
  /** A socket error code, if any (ECONNRESET after a 400 is common and fine). */
  readonly error?: string;
}

/** Options for {@link exchange}. */
export interface RawOptions {
  /** Give up (and close) after this long without the server closing. */
  readonly timeoutMs?: number;
  /** Half-close (FIN) after writing. */
  readonly halfClose?: boolean;
}

/** Sends `bytes` on a fresh connection to 127.0.0.1:`port` and waits for the server to close it. */
export function exchange(port: number, bytes: string | Buffer, opts: RawOptions = {}): Promise<RawResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let error: string | undefined;
    const socket: Socket = connect({ host: '127.0.0.1', port }, () => {
      socket.write(bytes);
      if (opts.halfClose) socket.end();
    });
    const finish = (closedByServer: boolean) => {
      clearTimeout(timer);
      const response = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(response);
      resolve({ response, status: m ? Number(m[1]) : null, closedByServer, ...(error ? { error } : {}) });
    };
    const timer = setTimeout(() => {
      socket.destroy();
      finish(false);
    }, opts.timeoutMs ?? 5000);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      error = err.code ?? err.message;
    });
    socket.on('close', () => finish(true));
    // Reading our half-closed side's end must not end the exchange: wait for the server's close.
    socket.on('end', () => socket.end());
  });
}

/** A connection kept open by the caller (slowloris, half-open); `closed` resolves when the server ends it. */
export interface HeldConnection {
  readonly socket: Socket;
  readonly closed: Promise<string>;
}

/** Opens a connection, writes `first` (if any) and leaves it open. */
export function hold(port: number, first?: string): Promise<HeldConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let response = '';
    socket.setEncoding('latin1');
    socket.on('data', (c: string) => {
      response += c;
    });
    const closed = new Promise<string>((r) => socket.on('close', () => r(response)));
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      if (first) socket.write(first);
      resolve({ socket, closed });
    });
    socket.once('error', reject);
  });
}
