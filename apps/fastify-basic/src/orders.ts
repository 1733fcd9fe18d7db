/**
 * An encapsulated Fastify plugin: prices orders against a fixed price list, with the request body checked by
 * a JSON schema (Fastify answers 400 on its own when it does not match).
 */
import type { FastifyInstance } from 'fastify';

const PRICES: Readonly<Record<string, number>> = { tea: 4, coffee: 5, cake: 7 };

interface OrderBody {
  item: string;
  qty: number;
}

const orderSchema = {
  body: {
    type: 'object',
    required: ['item', 'qty'],
    additionalProperties: false,
    properties: {
      item: { type: 'string', enum: Object.keys(PRICES) },
      qty: { type: 'integer', minimum: 1, maximum: 100 },
    },
  },
} as const;

/** Registers `GET /prices` and `POST /` under the plugin's prefix. */
export async function registerOrders(app: FastifyInstance): Promise<void> {
  app.get('/prices', async () => PRICES);
  app.post<{ Body: OrderBody }>('/', { schema: orderSchema }, async (request, reply) => {
    const { item, qty } = request.body;
    return reply.code(201).send({ item, qty, total: (PRICES[item] ?? 0) * qty, worker: process.pid });
  });
}
