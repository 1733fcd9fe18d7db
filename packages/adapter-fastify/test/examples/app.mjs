// A Fastify app in the shape of Fastify's own examples: encapsulated plugins with prefixes, hooks, a
// decorator, JSON-schema validation, custom error and not-found handlers. The entry modules next to it start
// it the two usual ways.
import Fastify from 'fastify';

async function itemsPlugin(app) {
  // Read-only data: under tgun several worker processes answer, so nothing is kept in memory between requests.
  const items = new Map([[1, { id: 1, name: 'first' }]]);
  app.decorate('nextId', () => items.size + 1);
  app.get('/', async () => [...items.values()]);
  app.get(
    '/:id',
    { schema: { params: { type: 'object', properties: { id: { type: 'integer' } } } } },
    async (req, reply) => {
      const item = items.get(req.params.id);
      if (!item) return reply.code(404).send({ error: `no item ${req.params.id}` });
      return item;
    },
  );
  app.post(
    '/',
    {
      schema: { body: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } } } },
    },
    async (req, reply) => {
      return reply.code(201).send({ id: app.nextId(), name: req.body.name });
    },
  );
}

export function createApp() {
  const app = Fastify({ logger: false });
  app.addHook('onRequest', async (_req, reply) => {
    reply.header('x-example', 'fastify');
  });
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('x-route', req.routeOptions?.url ?? 'none');
    return payload;
  });
  app.register(itemsPlugin, { prefix: '/items' });
  app.get('/', async () => ({ hello: 'fastify' }));
  app.get('/boom', async () => {
    throw new Error('boom');
  });
  app.setErrorHandler((err, _req, reply) => {
    reply.code(err.statusCode ?? 500).send({ error: err.validation ? 'bad request' : 'internal error' });
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: 'not found', url: req.url }));
  return app;
}
