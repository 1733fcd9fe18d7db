/**
 * `@tgun/adapter-node`: serves plain Node `(req, res)` handlers, `http.Server` instances and factories
 * returning either with tgun. tgun's core handles the first two on its own; this package adds factories and
 * the server's settings as tgun's framework layer.
 */
export { adapter, adapter as default, isFactory, isNodeApp, type NodeApp } from './adapter.js';
export { serverSettings } from './settings.js';
