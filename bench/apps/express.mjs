/** The Express 5 hello world, identical for every manager (see raw.mjs). */
import express from 'express';

/** The Express app (a `(req, res)` function). */
export const app = express();
app.get('/', (_req, res) => {
  res.type('text/plain').send('Hello, World!');
});
app.get('/pid', (_req, res) => {
  res.type('text/plain').send(String(process.pid));
});

/** Express apps are request listeners already. */
export const listener = app;
