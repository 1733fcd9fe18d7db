/**
 * A small Fastify 5 app served by tgun, unchanged: it is an ordinary Fastify instance with no `listen()`.
 * tgun's Fastify adapter (`@tgun/adapter-fastify`, installed beside it) runs `ready()` in each worker and
 * listens with Fastify's own server, so its options, hooks and error handler all apply.
 */
import Fastify from 'fastify';
import { registerOrders } from './orders.js';

export const app = Fastify({
  // Fastify's pino logger writes JSON lines to stdout, which tgun passes through; only warnings and errors.
  logger: { level: 'warn' },
  // A caller's X-Request-Id becomes `request.id`; Fastify makes one otherwise.
  requestIdHeader: 'x-request-id',
});

app.addHook('onSend', async (request, reply) => {
  reply.header('x-request-id', request.id);
  reply.header('x-worker-pid', String(process.pid));
});

// Validation failures keep their 400 and message; anything unexpected becomes a logged, opaque 500.
app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
  const status = error.statusCode ?? 500;
  if (status >= 500) request.log.error(error);
  return reply.code(status).send({ error: status >= 500 ? 'internal error' : error.message });
});

app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'not found' }));

app.get('/', async () => 'hello from Fastify');
app.get('/boom', async () => {
  throw new Error('a bug in a handler');
});
app.register(registerOrders, { prefix: '/orders' });

// tgun's adapter closes the app when a worker stops gracefully, which runs the onClose hooks.
app.addHook('onClose', async () => {
  console.log(`fastify app closed in worker ${process.pid}`);
});
