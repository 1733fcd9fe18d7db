/**
 * A plain Node app — no framework — served by tgun: `export const app = (req, res) => …`. tgun serves any
 * `(req, res)` function as is; start it with `tgun -c tgun.config.ts` (or `tgun src/app.ts:app`).
 */
import { compose, errors, HttpError, readJson, requestId } from './middleware.js';
import { Router, sendJson } from './router.js';

const USERS = new Map([
  ['1', { id: '1', name: 'Ada Lovelace' }],
  ['2', { id: '2', name: 'Grace Hopper' }],
]);

const router = new Router()
  .on('GET', '/', (_req, res) => {
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.end('hello from a plain Node handler\n');
  })
  .on('GET', '/users', (_req, res) => sendJson(res, 200, [...USERS.values()]))
  .on('GET', '/users/:id', (_req, res, { id }) => {
    const user = USERS.get(id ?? '');
    if (!user) throw new HttpError(404, `no user ${id}`);
    sendJson(res, 200, user);
  })
  .on('POST', '/echo', async (req, res) => sendJson(res, 200, { received: await readJson(req) }))
  .on('GET', '/boom', () => {
    throw new Error('a bug in a handler');
  });

/** The app tgun serves: request id → error handling → routes. */
export const app = compose([requestId, errors], (req, res) => router.handle(req, res));
