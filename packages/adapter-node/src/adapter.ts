/**
 * The adapter for plain Node apps: a `(req, res)` request listener (Connect apps included), an `http.Server`
 * or `https.Server` instance (served on its own, so its options and `upgrade` listeners are kept), or a
 * zero-parameter factory returning either, possibly as a promise (`export default () => createServer(h)`).
 */
import type { RequestListener } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { Adapter, ServedApp } from '@tgun/core';
import { serverSettings } from './settings.js';

/** What the node adapter serves directly. */
export type NodeApp = RequestListener | NetServer;

/** Whether `app` is a `(req, res)` function or a server instance. */
export function isNodeApp(app: unknown): app is NodeApp {
  return typeof app === 'function' || app instanceof NetServer;
}

/**
 * Whether `app` is a factory rather than a listener: a function declaring no parameters and carrying none of
 * the members of a framework app function (Express and Connect apps declare three). Same rule as tgun's loader.
 */
export function isFactory(app: unknown): app is () => unknown {
  if (typeof app !== 'function' || app.length !== 0) return false;
  return !('handle' in app) && !('listen' in app) && !('use' in app);
}

function serve(app: unknown, from: string): ServedApp {
  if (app instanceof NetServer) return { kind: 'server', server: app, settings: serverSettings(app) };
  if (typeof app === 'function') return { kind: 'listener', listener: app as RequestListener };
  throw new TypeError(`@tgun/adapter-node: ${from} is neither a (req, res) function nor an http.Server`);
}

/** tgun's adapter for plain Node listeners, servers and factories returning them. */
export const adapter: Adapter = {
  name: 'node',
  detect: isNodeApp,
  async load(app) {
    if (!isFactory(app)) return serve(app, 'the app');
    return serve(await app(), 'what the factory returned');
  },
};
