/**
 * The framework-settings layer for Fastify. Fastify owns its server and tgun serves through it, so every server
 * option the app chose stays in effect; those with a tgun counterpart are reported as the framework layer:
 * the server's `keepAliveTimeout` (ms) → `keepAlive` (s), `trustProxy` → `forwardedAllowIps`. `connectionTimeout`,
 * `requestTimeout`, `maxRequestsPerSocket` and `https` have no tgun setting and simply keep working on
 * Fastify's server.
 */
import { type FrameworkSettings, trustToAllowIps } from '@tgun/core';

/** Where Fastify keeps what it was built with; `trustProxy` is only in the internal options object. */
export interface FastifyConfigSource {
  readonly initialConfig?: Readonly<Record<string, unknown>>;
  readonly server?: object;
}

/** Fastify's own constructor options (`Symbol(fastify.options)`), read best-effort. */
function internalOptions(app: object): Readonly<Record<string, unknown>> {
  const sym = Object.getOwnPropertySymbols(app).find((s) => s.description === 'fastify.options');
  const value = sym ? (app as Record<symbol, unknown>)[sym] : undefined;
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

/** The settings of a Fastify instance, as tgun's framework layer. */
export function fastifySettings(app: FastifyConfigSource): FrameworkSettings {
  const initial = app.initialConfig ?? {};
  const options = internalOptions(app);
  const out: Record<string, unknown> = {};
  // The server's own value is what clients get (Fastify replaces a 0 in its options by its 72 s default).
  // http, https and http2 servers all carry it; a plain net.Server does not.
  const own = (app.server as { keepAliveTimeout?: unknown } | undefined)?.keepAliveTimeout;
  const keepAliveMs = own ?? initial.keepAliveTimeout;
  if (typeof keepAliveMs === 'number' && Number.isFinite(keepAliveMs) && keepAliveMs >= 0) {
    out.keepAlive = keepAliveMs / 1000;
  }
  const allow = trustToAllowIps(options.trustProxy);
  if (allow) out.forwardedAllowIps = allow;
  return out;
}
