/**
 * tgun settings for the plain Node example. `tgun -c tgun.config.ts` in this directory serves src/app.ts
 * (tgun loads TypeScript apps itself) on http://127.0.0.1:8000 with 2 workers.
 */
import { defineConfig } from '@tgun/core';

export default defineConfig({
  app: 'src/app.ts:app',
  bind: '127.0.0.1:8000',
  workers: 2,
  accessLog: '-',
});
