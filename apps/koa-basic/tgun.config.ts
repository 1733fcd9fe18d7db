/**
 * tgun settings for the Koa example. `tgun -c tgun.config.ts` in this directory serves src/app.ts on
 * http://127.0.0.1:8000 with 2 workers; tgun picks @tgun/adapter-koa because the export is a Koa app.
 */
import { defineConfig } from '@tgun/core';

export default defineConfig({
  app: 'src/app.ts:app',
  bind: '127.0.0.1:8000',
  workers: 2,
  accessLog: '-',
});
