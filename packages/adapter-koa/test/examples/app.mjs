// A Koa app in the shape of the koajs/examples repository (router, middleware, static files, a session,
// error handling). The entry modules next to it start it the two usual ways.
import { fileURLToPath } from 'node:url';
import Router from '@koa/router';
import Koa from 'koa';
import session from 'koa-session';
import serve from 'koa-static';

const posts = [
  { id: 1, title: 'Hello' },
  { id: 2, title: 'Koa under tgun' },
];

export function createApp() {
  const app = new Koa();
  app.keys = ['example-key'];
  app.silent = true;
  app.use(async (ctx, next) => {
    const start = process.hrtime.bigint();
    await next();
    ctx.set('x-example', 'koa');
    ctx.set('x-handled', String(process.hrtime.bigint() >= start));
  });
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      ctx.status = err.status ?? 500;
      ctx.body = { error: err.expose ? err.message : 'internal error' };
    }
  });
  app.use(session({ key: 'koa.sess', signed: true }, app));
  app.use(serve(fileURLToPath(new URL('./public', import.meta.url))));

  const router = new Router();
  router.get('/posts', (ctx) => {
    ctx.body = posts;
  });
  router.get('/posts/:id', (ctx) => {
    const post = posts.find((p) => p.id === Number(ctx.params.id));
    ctx.assert(post, 404, `no post ${ctx.params.id}`);
    ctx.body = post;
  });
  router.get('/views', (ctx) => {
    ctx.session.views = (ctx.session.views ?? 0) + 1;
    ctx.body = { views: ctx.session.views };
  });
  router.get('/boom', () => {
    throw new Error('boom');
  });
  app.use(router.routes()).use(router.allowedMethods());
  return app;
}
