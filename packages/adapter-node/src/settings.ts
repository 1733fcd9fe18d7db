/**
 * The framework-settings layer for an exported `http.Server`: tgun serves through the app's own server, so its
 * options stay in effect. A `keepAliveTimeout` the app changed from Node's default is reported as `keepAlive`;
 * a plain `(req, res)` handler declares nothing.
 */
import { Server as HttpServer } from 'node:http';
import type { Server as NetServer } from 'node:net';
import type { FrameworkSettings } from '@tgun/core';

/** Node's own `server.keepAliveTimeout` default (ms): not a choice the app made. */
const NODE_KEEP_ALIVE_MS = 5000;

/** The settings of a server the app built, as tgun's framework layer. */
export function serverSettings(server: NetServer): FrameworkSettings {
  if (!(server instanceof HttpServer)) return {};
  const ms = server.keepAliveTimeout;
  return Number.isFinite(ms) && ms >= 0 && ms !== NODE_KEEP_ALIVE_MS ? { keepAlive: ms / 1000 } : {};
}
