/**
 * A small Hono app — a fetch-style app, `fetch(Request) => Response` — served by tgun, unchanged: the same
 * module runs on Bun, Deno or Workers. tgun's fetch adapter (`@tgun/adapter-fetch`, installed beside it)
 * bridges each worker's Node requests to `app.fetch`.
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { notes } from './notes.js';

const app = new Hono();

app.use(requestId());
app.use(secureHeaders());
app.use(async (c, next) => {
  await next();
  c.header('x-worker-pid', String(process.pid));
});

app.get('/', (c) => c.text('hello from Hono'));
app.route('/notes', notes);
app.get('/boom', () => {
  throw new Error('a bug in a handler');
});

app.notFound((c) => c.json({ error: 'not found' }, 404));
app.onError((err, c) => {
  if (err instanceof HTTPException) return c.json({ error: err.message }, err.status);
  console.error(`${c.req.method} ${c.req.path} failed:`, err);
  return c.json({ error: 'internal error' }, 500);
});

export default app;
