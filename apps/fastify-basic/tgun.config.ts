/**
 * tgun settings for the Fastify example. `tgun -c tgun.config.ts` in this directory serves src/app.ts on
 * http://127.0.0.1:8000 with 2 workers; tgun picks @tgun/adapter-fastify because the export is a Fastify app.
 */
import { defineConfig } from '@tgun/core';

export default defineConfig({
  app: 'src/app.ts:app',
  bind: '127.0.0.1:8000',
  workers: 2,
  accessLog: '-',
});
