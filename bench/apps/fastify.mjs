/** The Fastify 5 hello world, identical for every manager (see raw.mjs). */
import Fastify from 'fastify';

/** The Fastify instance; served on its own server by the peers and by tgun's Fastify adapter. */
export const app = Fastify();
app.get('/', async (_req, reply) => {
  reply.type('text/plain');
  return 'Hello, World!';
});
app.get('/pid', async (_req, reply) => {
  reply.type('text/plain');
  return String(process.pid);
});

/**
 * For a manager without the Fastify adapter: Fastify's router as a plain listener. `routing` throws until
 * `ready()` has run, hence a factory (`fastify.mjs:listener()`).
 */
export async function listener() {
  await app.ready();
  return app.routing;
}
