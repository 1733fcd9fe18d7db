/**
 * The HTTP client the suite uses: plain `node:http`, so status, raw headers, chunking and the socket a request
 * went over are all visible (fetch hides `Transfer-Encoding` and merges `Set-Cookie`).
 */
import { Agent, type IncomingHttpHeaders, type RequestOptions, request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';

/** A complete response. */
export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly text: string;
  /** A number per distinct socket this client used: equal numbers mean the connection was reused. */
  readonly socketId: number;
}

/** What to send. */
export interface SendOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: Buffer | string;
  /** A keep-alive agent to reuse connections across calls; by default each request has its own connection. */
  readonly agent?: Agent;
  readonly timeoutMs?: number;
}

const socketIds = new WeakMap<Socket, number>();
let nextSocketId = 1;

function idOf(socket: Socket): number {
  let id = socketIds.get(socket);
  if (id === undefined) {
    id = nextSocketId++;
    socketIds.set(socket, id);
  }
  return id;
}

/** Where a request goes: `http://host:port` over TCP, `unix:/path` over a unix socket. */
function target(base: string, path: string): RequestOptions {
  if (base.startsWith('unix:')) return { socketPath: base.slice('unix:'.length), host: 'localhost', path };
  const url = new URL(path, base);
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port, path: url.pathname + url.search };
}

/** Sends one request to `base` (`http://127.0.0.1:PORT` or `unix:/path`) and reads the whole response. */
export function send(base: string, path: string, opts: SendOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let socketId = 0;
    const req = httpRequest(
      { ...target(base, path), method: opts.method ?? 'GET', headers: opts.headers, agent: opts.agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8'), socketId });
        });
      },
    );
    req.on('socket', (s) => {
      socketId = idOf(s);
    });
    req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(new Error(`no answer for ${req.method} ${path}`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** An agent that keeps one connection open and reuses it. */
export function keepAliveAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: 1 });
}
