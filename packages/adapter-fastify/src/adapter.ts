/**
 * The Fastify adapter (Fastify 4 and 5). Fastify is served through its own server (`app.server`), so its
 * server options, `onListen` hooks and `upgrade` listeners (websockets) are kept. Listening follows what each
 * socket kind allows: on TCP `app.listen({ fd, host })` (an explicit host keeps Fastify off its `localhost`
 * dual-bind path); on a unix socket `app.listen()` would crash logging a null address, so the server listens
 * directly once `ready()` has loaded the plugins. `close()` is `app.close()`, which runs the `onClose` hooks.
 */
import { Server as NetServer } from 'node:net';
import type { Adapter, ServerApp } from '@tgun/core';
import { fastifySettings } from './settings.js';

/** The members that make an object a Fastify instance. */
export interface FastifyApp {
  readonly server: NetServer;
  routing(...args: unknown[]): unknown;
  ready(callback: (err?: Error | null) => void): unknown;
  addHook(...args: unknown[]): unknown;
  listen(options: { fd: number; host: string; backlog?: number }): Promise<unknown>;
  close(): PromiseLike<unknown>;
  readonly initialConfig?: Readonly<Record<string, unknown>>;
}

/**
 * Whether `app` is a Fastify instance: `routing`, `ready` and `addHook` plus a real `server`. The instance is
 * a thenable (`await app` runs `ready()`), so it is inspected, never awaited.
 */
export function isFastifyApp(app: unknown): app is FastifyApp {
  if (app === null || typeof app !== 'object') return false;
  const a = app as Record<string, unknown>;
  return (
    a.server instanceof NetServer &&
    typeof a.routing === 'function' &&
    typeof a.ready === 'function' &&
    typeof a.addHook === 'function'
  );
}

/** `ready()` through its callback form: the promise form resolves to the thenable instance itself. */
function ready(app: FastifyApp): Promise<void> {
  return new Promise((resolve, reject) => {
    app.ready((err) => (err ? reject(err) : resolve()));
  });
}

function listenOnFd(server: NetServer, fd: number, backlog: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ fd, backlog }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** tgun's adapter for Fastify instances. */
export const adapter: Adapter = {
  name: 'fastify',
  detect: isFastifyApp,
  load(app): ServerApp {
    if (!isFastifyApp(app)) throw new TypeError('@tgun/adapter-fastify: not a Fastify instance');
    return {
      kind: 'server',
      server: app.server,
      ready: () => ready(app),
      async listen({ fd, host, backlog }) {
        if (host) {
          await app.listen({ fd, host, backlog });
          return;
        }
        await ready(app);
        await listenOnFd(app.server, fd, backlog);
      },
      async close() {
        await app.close();
      },
      settings: fastifySettings(app),
    };
  },
};
