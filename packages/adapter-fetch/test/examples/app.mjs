// A Hono app in the shape of Hono's own examples: route groups, middleware (etag, secure headers, basic auth),
// static files, cookies and validation by hand. The entry modules next to it start it the two usual ways.
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { basicAuth } from 'hono/basic-auth';
import { getCookie, setCookie } from 'hono/cookie';
import { etag } from 'hono/etag';
import { secureHeaders } from 'hono/secure-headers';

export function createApp() {
  const app = new Hono();
  app.use('*', secureHeaders());
  app.use('*', etag());
  app.use('*', async (c, next) => {
    await next();
    c.header('x-example', 'hono');
  });
  const root = fileURLToPath(new URL('.', import.meta.url));
  app.use('/static/*', serveStatic({ root }));

  const api = new Hono();
  const books = [{ id: 1, title: 'The Pragmatic Programmer' }];
  api.get('/books', (c) => c.json(books));
  api.get('/books/:id', (c) => {
    const book = books.find((b) => b.id === Number(c.req.param('id')));
    return book ? c.json(book) : c.json({ error: 'not found' }, 404);
  });
  api.post('/books', async (c) => {
    const body = await c.req.json().catch(() => null);
    if (!body || typeof body.title !== 'string') return c.json({ error: 'title required' }, 400);
    return c.json({ id: books.length + 1, title: body.title }, 201);
  });
  app.route('/api', api);

  app.get('/visit', (c) => {
    const visits = Number(getCookie(c, 'visits') ?? 0) + 1;
    setCookie(c, 'visits', String(visits), { path: '/', httpOnly: true });
    return c.text(`visit ${visits}`);
  });
  app.use('/admin/*', basicAuth({ username: 'admin', password: 'secret' }));
  app.get('/admin/panel', (c) => c.text('admin panel'));
  app.get('/', (c) => c.html('<h1>Hono example</h1>'));
  app.onError((_err, c) => c.json({ error: 'internal error' }, 500));
  app.get('/boom', () => {
    throw new Error('boom');
  });
  return app;
}
