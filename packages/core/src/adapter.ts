/**
 * THE adapter contract: how any app becomes something a tgun worker can serve. Adapter packages
 * (`@tgun/adapter-express`, `-koa`, `-fastify`, `-node`, `-fetch`) implement {@link Adapter}; the worker calls
 * {@link Adapter.load} once per process and serves the returned {@link ServedApp}.
 */
import type { RequestListener, Server as HttpServer } from 'node:http';
import type { Server as NetServer } from 'node:net';

/** Values an app already declares (Express `trust proxy`, Fastify `keepAliveTimeout`…), keyed by setting name. */
export type FrameworkSettings = Readonly<Record<string, unknown>>;

interface ServedAppCommon {
  /** Runs before the worker starts accepting (Fastify's plugin loading). */
  ready?(): Promise<void>;
  /** Runs on graceful worker stop, after the last request finished (Fastify `onClose`, app cleanup). */
  close?(): Promise<void>;
  /** The framework-settings layer: just above tgun's defaults, below the config file and the command line. */
  settings?: FrameworkSettings;
}

/** An app tgun serves through its own `http.Server` (Express, Koa, Connect, fetch apps, raw handlers). */
export interface ListenerApp extends ServedAppCommon {
  readonly kind: 'listener';
  readonly listener: RequestListener;
}

/**
 * An app that owns its server (Fastify, an exported `http.Server`): tgun listens on the inherited socket with
 * the app's own server, so its options and `upgrade` listeners are kept.
 */
export interface ServerApp extends ServedAppCommon {
  readonly kind: 'server';
  readonly server: NetServer | HttpServer;
  /** Starts listening on an inherited fd; defaults to `server.listen({ fd })`. */
  listen?(options: { fd: number; host?: string; backlog: number }): Promise<void>;
}

/** What an adapter turns an app into. */
export type ServedApp = ListenerApp | ServerApp;

/** What {@link Adapter.load} is told about where it runs. */
export interface AdapterContext {
  /** The `MODULE:VARIABLE` the app came from, for messages. */
  readonly appUri: string;
  /** The directory the app module lives in. */
  readonly appDir: string;
}

/** One framework's adapter. */
export interface Adapter {
  /** Short name used by `--adapter` and in `Using worker: …`: `express`, `koa`, `fastify`, `node`, `fetch`. */
  readonly name: string;
  /** Whether `app` has this framework's shape; must not await or mutate it. */
  detect(app: unknown): boolean;
  /** Builds the served app. */
  load(app: unknown, ctx: AdapterContext): ServedApp | Promise<ServedApp>;
}
