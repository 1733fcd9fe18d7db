/**
 * tgun settings for the Hono example. `tgun -c tgun.config.ts` in this directory serves src/app.ts's default
 * export on http://127.0.0.1:8000 with 2 workers; tgun picks @tgun/adapter-fetch because the export is an
 * object with a `fetch()` method.
 */
import { defineConfig } from '@tgun/core';

export default defineConfig({
  app: 'src/app.ts',
  bind: '127.0.0.1:8000',
  workers: 2,
  accessLog: '-',
});
