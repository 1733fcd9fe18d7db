// An Express app in the shape of Express's own examples (routers, middleware, static files, a cookie session,
// EJS templates, error handling). The two entry modules next to it start it the two usual ways.
import { fileURLToPath } from 'node:url';
import cookieSession from 'cookie-session';
import express from 'express';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const users = [
  { id: 1, name: 'tobi' },
  { id: 2, name: 'loki' },
];

export function createApp() {
  const app = express();
  app.set('view engine', 'ejs');
  app.set('views', here('./views'));
  app.use((_req, res, next) => {
    res.set('x-example', 'express');
    next();
  });
  app.use(express.static(here('./public')));
  app.use(express.urlencoded({ extended: false }));
  app.use(cookieSession({ name: 'session', keys: ['example-key'] }));

  const usersRouter = express.Router();
  usersRouter.param('id', (req, _res, next, id) => {
    req.user = users.find((u) => u.id === Number(id));
    if (!req.user) return next(Object.assign(new Error(`no user ${id}`), { status: 404 }));
    next();
  });
  usersRouter.get('/', (_req, res) => res.render('users', { title: 'Users', users }));
  usersRouter.get('/:id', (req, res) => res.json(req.user));
  app.use('/users', usersRouter);

  app.post('/login', (req, res) => {
    req.session.user = req.body.name;
    res.redirect('/me');
  });
  app.get('/me', (req, res) => {
    req.session.views = (req.session.views ?? 0) + 1;
    res.json({ user: req.session.user ?? null, views: req.session.views });
  });
  app.get('/logout', (req, res) => {
    req.session = null;
    res.redirect('/');
  });
  app.get('/boom', () => {
    throw new Error('boom');
  });
  app.use((err, _req, res, _next) => {
    res.status(err.status ?? 500).json({ error: err.status ? err.message : 'internal error' });
  });

  return app;
}
