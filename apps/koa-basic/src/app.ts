/**
 * A small Koa 3 app served by tgun, unchanged: it is an ordinary Koa application with no `listen()`; tgun's
 * Koa adapter (`@tgun/adapter-koa`, installed beside it) serves `app.callback()` in every worker.
 */
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import { CATALOG, quote } from './catalog.js';

export const app = new Koa();

// Which worker answered (set first, so error answers carry it too), and how long the rest of the stack took.
app.use(async (ctx, next) => {
  ctx.set('x-worker-pid', String(process.pid));
  const start = performance.now();
  await next();
  ctx.set('x-response-time', `${(performance.now() - start).toFixed(1)}ms`);
});

// Errors → JSON. Koa's own `ctx.throw(404, …)` errors carry `status` and `expose`; anything else is a bug.
app.use(async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    const e = err as { status?: number; expose?: boolean; message?: string };
    ctx.status = e.status ?? 500;
    // Client errors (a body parser's 400 has no `expose`) say what was wrong; server errors say nothing.
    ctx.body = { error: (e.expose ?? ctx.status < 500) ? e.message : 'internal error' };
    if (ctx.status >= 500) ctx.app.emit('error', err, ctx);
  }
});

app.use(bodyParser());

const router = new Router();
router.get('/', (ctx) => {
  ctx.body = 'hello from Koa';
});
router.get('/items', (ctx) => {
  ctx.body = CATALOG;
});
router.get('/items/:id', (ctx) => {
  const item = CATALOG.find((i) => i.id === ctx.params.id);
  if (!item) ctx.throw(404, `no item ${ctx.params.id}`);
  ctx.body = item;
});
router.post('/quote', (ctx) => {
  ctx.body = quote(ctx.request.body);
});
router.get('/boom', () => {
  throw new Error('a bug in a handler');
});
app.use(router.routes()).use(router.allowedMethods());

// tgun's Koa adapter emits 'close' when a worker stops gracefully: the place to close pools and clients.
app.on('close', () => {
  console.log(`koa app closed in worker ${process.pid}`);
});
