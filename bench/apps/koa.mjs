/** The Koa 3 hello world, identical for every manager (see raw.mjs). */
import Koa from 'koa';

/** The Koa app; serve it through `listener` or tgun's Koa adapter. */
export const app = new Koa();
app.use((ctx) => {
  if (ctx.path === '/') ctx.body = 'Hello, World!';
  else if (ctx.path === '/pid') ctx.body = String(process.pid);
});

/** Koa's request listener. */
export const listener = app.callback();
