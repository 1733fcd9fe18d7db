/**
 * `@tgun/adapter-fastify`: serves Fastify 4 and 5 instances with tgun, unchanged, on their own server. tgun
 * finds this package next to the app and uses it for any export that is a Fastify instance (or with
 * `--adapter fastify`).
 */
export { adapter, adapter as default, type FastifyApp, isFastifyApp } from './adapter.js';
export { type FastifyConfigSource, fastifySettings } from './settings.js';
