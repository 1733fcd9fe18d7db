/**
 * The client side of the control protocol, used by `tgun ctl` and by the server's own "is somebody already
 * listening here?" probe. Connection failures are classified, because each one calls for a different action
 * from the operator: nothing there, a dead arbiter's socket, no permission, a different tgun version.
 */
import { lstatSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { type Command, type ControlReply, encodeLine, isReply, PROTOCOL_VERSION } from './protocol.js';

/** Why talking to an arbiter failed. */
export type ClientFailure =
  | 'missing' // no file at the path
  | 'refused' // a file, but nobody listens: a dead arbiter's socket
  | 'not-a-socket'
  | 'denied' // file or directory permissions
  | 'timeout'
  | 'closed' // the arbiter hung up (it is stopping, or dropped us)
  | 'version' // it answers in another protocol version
  | 'garbled'; // it answers something that is not the protocol

/** A failure to reach or understand an arbiter. */
export class ControlClientError extends Error {
  override name = 'ControlClientError';
  constructor(
    readonly reason: ClientFailure,
    readonly path: string,
    message: string,
    /** With `version`: the protocol version the arbiter speaks. */
    readonly peerVersion: number | null = null,
  ) {
    super(message);
  }
}

const BUFFER_LIMIT = 16 * 1024 * 1024;

interface Pending {
  resolve(reply: ControlReply): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

function classify(err: NodeJS.ErrnoException, path: string): ControlClientError {
  switch (err.code) {
    case 'ENOENT':
      return new ControlClientError('missing', path, `no control socket at ${path}`);
    case 'EACCES':
    case 'EPERM':
      return new ControlClientError('denied', path, `permission denied connecting to ${path}`);
    case 'ECONNREFUSED':
    case 'ENOTSOCK': {
      let isSocket = true;
      try {
        isSocket = lstatSync(path).isSocket();
      } catch {}
      return isSocket
        ? new ControlClientError('refused', path, `nobody listens on ${path} (the socket of a dead arbiter)`)
        : new ControlClientError('not-a-socket', path, `${path} is not a unix socket`);
    }
    default:
      return new ControlClientError('closed', path, `could not talk to ${path}: ${err.message}`);
  }
}

/** One open connection to an arbiter; requests are answered in order. */
export class ControlConnection {
  private readonly pending: Pending[] = [];
  private early: ControlReply | null = null;
  private failure: ControlClientError | null = null;
  private buffered = '';
  private nextId = 1;

  private constructor(
    private readonly socket: Socket,
    readonly path: string,
  ) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => this.onData(text));
    socket.on('error', (err) => this.fail(classify(err, path)));
    socket.on('close', () =>
      this.fail(new ControlClientError('closed', path, `the arbiter at ${path} closed the connection`)),
    );
  }

  /** Connects to the socket at `path`. */
  static open(path: string, timeoutMs = 5000): Promise<ControlConnection> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(path);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new ControlClientError('timeout', path, `timed out connecting to ${path}`));
      }, timeoutMs);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(classify(err, path));
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new ControlConnection(socket, path));
      });
    });
  }

  /** Sends one request and resolves to its reply (an `ok: false` reply resolves too: the arbiter answered). */
  request(cmd: Command, args?: Record<string, unknown>, timeoutMs = 5000): Promise<ControlReply> {
    if (this.early) {
      const reply = this.early;
      this.early = null;
      return Promise.resolve(reply);
    }
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(new ControlClientError('timeout', this.path, `the arbiter at ${this.path} did not answer ${cmd}`));
      }, timeoutMs);
      this.pending.push({ resolve, reject, timer });
      const id = this.nextId++;
      this.socket.write(encodeLine({ id, v: PROTOCOL_VERSION, cmd, ...(args ? { args } : {}) }));
    });
  }

  /** Closes the connection. */
  close(): void {
    this.socket.destroy();
  }

  private onData(text: string): void {
    this.buffered += text;
    if (this.buffered.length > BUFFER_LIMIT) {
      this.fail(new ControlClientError('garbled', this.path, `the arbiter at ${this.path} sent an oversized reply`));
      return;
    }
    for (let nl = this.buffered.indexOf('\n'); nl !== -1; nl = this.buffered.indexOf('\n')) {
      const line = this.buffered.slice(0, nl);
      this.buffered = this.buffered.slice(nl + 1);
      if (line.trim() !== '') this.onLine(line);
    }
  }

  private onLine(line: string): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.fail(new ControlClientError('garbled', this.path, `${this.path} answered something that is not JSON`));
      return;
    }
    const v = (value as { v?: unknown } | null)?.v;
    if (typeof v === 'number' && v !== PROTOCOL_VERSION) {
      const message = `the arbiter at ${this.path} speaks control protocol ${v}, this tgun ctl speaks ${PROTOCOL_VERSION}`;
      this.fail(new ControlClientError('version', this.path, message, v));
      return;
    }
    if (!isReply(value)) {
      this.fail(new ControlClientError('garbled', this.path, `${this.path} answered outside the control protocol`));
      return;
    }
    const waiter = this.pending.shift();
    if (!waiter) {
      this.early = value;
      return;
    }
    clearTimeout(waiter.timer);
    waiter.resolve(value);
  }

  private fail(err: ControlClientError): void {
    if (!this.failure) this.failure = err;
    for (const p of this.pending.splice(0)) {
      clearTimeout(p.timer);
      p.reject(this.failure);
    }
    this.socket.destroy();
  }
}

/** Connects, sends one request, and closes. */
export async function requestOnce(
  path: string,
  cmd: Command,
  args?: Record<string, unknown>,
  timeoutMs = 5000,
): Promise<ControlReply> {
  const conn = await ControlConnection.open(path, timeoutMs);
  try {
    return await conn.request(cmd, args, timeoutMs);
  } finally {
    conn.close();
  }
}
