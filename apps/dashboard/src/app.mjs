/**
 * The dashboard as an Express app. It never calls `listen()`: tgun's workers serve the exported `app` on the
 * sockets the arbiter owns (`tgun -c tgun.config.ts` names it as `src/app.mjs:app`), and tests serve it with a
 * plain `http.createServer(app)`. Plain JavaScript with JSDoc types, so workers load it without a TS loader.
 */

import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { dashRouter } from './dash-protocol.mjs';
import { renderPage } from './layout.mjs';
import { serverInfo, workerPidHeader } from './server-info.mjs';

/** Plotly comes from the npm package: the dashboard must work on machines with no internet and no CDN. */
const PLOTLY = createRequire(import.meta.url).resolve('plotly.js-dist-min/plotly.min.js');
const PUBLIC = fileURLToPath(new URL('../public/', import.meta.url));
/** The page never changes while a worker lives; a HUP brings up workers that render it afresh. */
const PAGE = renderPage();

/**
 * Errors raised before a handler runs (body-parser's bad JSON, too large, wrong charset) carry an HTTP status;
 * they are the client's fault and get that status as JSON. Anything else is ours: a 500 and a log line.
 * @type {import('express').ErrorRequestHandler}
 */
function jsonErrors(error, _req, res, next) {
  if (res.headersSent) {
    next(error);
    return;
  }
  const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
  if (status === 500) console.error('dashboard: request failed:', error);
  const code =
    status === 500
      ? 'INTERNAL'
      : String(error?.type ?? 'BAD_REQUEST')
          .toUpperCase()
          .replace(/\W/g, '_');
  const message = status === 500 ? 'internal error' : String(error?.message ?? 'bad request');
  res.status(status).json({ error: { code, message } });
}

/** The Express app tgun serves. */
export const app = express();

app.disable('x-powered-by');
app.use(workerPidHeader);
app.get('/', (_req, res) => {
  res.type('html').send(PAGE);
});
app.get('/assets/plotly.min.js', (_req, res, next) => {
  // pnpm keeps packages under node_modules/.pnpm/, a dot-directory that send() would otherwise refuse with a 404.
  // Once headers are out the only failure left is a client that went away mid-download: nothing to report.
  res.sendFile(PLOTLY, { maxAge: '1h', dotfiles: 'allow' }, (error) => error && !res.headersSent && next(error));
});
app.use('/assets', express.static(PUBLIC, { maxAge: 0 }));
app.use(dashRouter());
app.get('/api/server-info', (_req, res) => {
  // Never cached: the whole point is to see which worker answers *now*.
  res.set('Cache-Control', 'no-store').json(serverInfo());
});
app.use(jsonErrors);
