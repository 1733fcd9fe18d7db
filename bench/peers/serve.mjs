/**
 * How every peer (single process, node:cluster worker, PM2 worker) serves a bench app: the way a user of
 * that peer would write it. Fastify listens on its own server (`app.listen`), the others get an
 * `http.createServer(listener)`. A host:port or a unix socket path.
 */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

/** The bench app names. */
export const APPS = /** @type {const} */ (['raw', 'express', 'koa', 'fastify']);

/**
 * @typedef {{ port: number, host: string } | { path: string }} Address
 * @typedef {{ close(): Promise<void>, server: import('node:net').Server }} Served
 */

/** @param {string} name */
export function appFile(name) {
  if (!(/** @type {readonly string[]} */ (APPS).includes(name))) throw new Error(`unknown bench app '${name}'`);
  return fileURLToPath(new URL(`../apps/${name}.mjs`, import.meta.url));
}

/**
 * Imports app `name` and listens on `address`.
 * @param {string} name
 * @param {Address} address
 * @returns {Promise<Served>}
 */
export async function serve(name, address) {
  const mod = await import(appFile(name));
  if (name === 'fastify') {
    const app = mod.app;
    await app.listen('path' in address ? { path: address.path } : { port: address.port, host: address.host });
    return { server: app.server, close: () => app.close() };
  }
  const server = createServer(mod.listener);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    const done = () => resolve(undefined);
    if ('path' in address) server.listen(address.path, done);
    else server.listen(address.port, address.host, done);
  });
  return {
    server,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * The address a peer process was told to use: `BENCH_SOCKET` (a unix path) or `PORT` on 127.0.0.1.
 * @returns {Address}
 */
export function addressFromEnv() {
  const socket = process.env.BENCH_SOCKET;
  if (socket) return { path: socket };
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port <= 0) throw new Error('PORT is not set');
  return { port, host: process.env.HOST ?? '127.0.0.1' };
}
