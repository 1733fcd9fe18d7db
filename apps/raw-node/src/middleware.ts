/**
 * Middleware for plain Node handlers: each wraps the next `(req, res)` function. The order they are composed
 * in `app.ts` is the order a request goes through them.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A `(req, res)` function that may be async. */
export type Listener = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;
/** Wraps a listener. */
export type Middleware = (next: Listener) => Listener;

/** An error with the HTTP status it should produce. */
export class HttpError extends Error {
  /** The status to answer with. */
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** Keeps the caller's `X-Request-Id` or makes one, and names the worker that answered. */
export const requestId: Middleware = (next) => (req, res) => {
  const given = req.headers['x-request-id'];
  res.setHeader('x-request-id', typeof given === 'string' && given.length <= 200 ? given : randomUUID());
  res.setHeader('x-worker-pid', String(process.pid));
  return next(req, res);
};

/** Turns a thrown error into a JSON answer: its own status for an {@link HttpError}, 500 for anything else. */
export const errors: Middleware = (next) => async (req, res) => {
  try {
    await next(req, res);
  } catch (err) {
    const status = err instanceof HttpError ? err.status : 500;
    // Log the unexpected ones; tgun sends a worker's stderr to its error log.
    if (status === 500) console.error(`${req.method} ${req.url} failed:`, err);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const message = status === 500 ? 'internal error' : (err as Error).message;
    const text = JSON.stringify({ error: message });
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(text);
  }
};

/** Reads a JSON request body of at most `limit` bytes. */
export async function readJson(req: IncomingMessage, limit = 64 * 1024): Promise<unknown> {
  if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
    throw new HttpError(415, 'expected application/json');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, `body larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'invalid JSON');
  }
}

/** Composes middleware around `last`: the first listed runs first. */
export function compose(middleware: readonly Middleware[], last: Listener): Listener {
  return middleware.reduceRight<Listener>((next, wrap) => wrap(next), last);
}
