/**
 * A tiny HTTP client for tests that speaks to `http://host:port` and `unix:/path` targets alike (the forms
 * `Listening at:` prints).
 */
import { type Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';

/** A response, fully read. */
export interface TestResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** Options for {@link request}. */
export interface RequestOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** `false` opens a fresh connection; an agent reuses its sockets. Default: a fresh connection. */
  readonly agent?: Agent | false;
  readonly timeoutMs?: number;
  /** Called with the socket the request goes out on (a reused keep-alive socket or a fresh one). */
  readonly onSocket?: (socket: Socket) => void;
}

/** The `http.request` options that reach `target` (`http://…` or `unix:/path`). */
export function targetOptions(target: string): { host?: string; port?: number; socketPath?: string } {
  if (target.startsWith('unix:')) return { socketPath: target.slice(5) };
  const url = new URL(target);
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) };
}

/** Sends one request and reads the whole response. */
export function request(target: string, path = '/', opts: RequestOptions = {}): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        ...targetOptions(target),
        path,
        method: opts.method ?? 'GET',
        headers: opts.headers,
        agent: opts.agent ?? false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.setTimeout(opts.timeoutMs ?? 15_000, () => req.destroy(new Error(`request to ${target}${path} timed out`)));
    if (opts.onSocket) req.on('socket', opts.onSocket);
    req.on('error', reject);
    req.end();
  });
}
