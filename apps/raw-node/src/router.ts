/**
 * A tiny router for plain Node handlers: `METHOD /path/:param` patterns, first match wins, and a 404 / 405
 * answer when nothing matches. Enough for an example; real apps would reach for a framework.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A route handler: the request, the response and the `:params` of the matched path. */
export type Handler = (req: IncomingMessage, res: ServerResponse, params: Record<string, string>) => unknown;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly handler: Handler;
}

/** Routes, in the order they were added. */
export class Router {
  private readonly routes: Route[] = [];

  /** Adds `handler` for `method` on `path` (`/users/:id` captures `id`). */
  on(method: string, path: string, handler: Handler): this {
    const names: string[] = [];
    const source = path.replace(/:([A-Za-z_]\w*)/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  /** Runs the matching handler; answers 404 for an unknown path and 405 for a known path with another method. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    let allowed: string[] = [];
    for (const route of this.routes) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      if (route.method !== req.method) {
        allowed = [...allowed, route.method];
        continue;
      }
      const params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]));
      await route.handler(req, res, params);
      return;
    }
    if (allowed.length > 0) {
      res.setHeader('allow', allowed.join(', '));
      sendJson(res, 405, { error: 'method not allowed' });
    } else {
      sendJson(res, 404, { error: 'not found' });
    }
  }
}

/** Answers `body` as JSON with `status`. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
