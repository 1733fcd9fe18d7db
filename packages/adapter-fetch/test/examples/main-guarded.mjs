// Exports the app as Hono apps usually do (`export default app`) and serves it only as the main module.
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createApp } from './app.mjs';

const app = createApp();
if (process.argv[1] === fileURLToPath(import.meta.url))
  serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000) });
export default app;
