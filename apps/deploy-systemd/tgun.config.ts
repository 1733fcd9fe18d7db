/**
 * tgun under systemd socket activation (tgun.socket + tgun.service beside this file). Under activation tgun
 * serves on the sockets systemd passes and ignores `bind`; the same file still works by hand
 * (`tgun -c tgun.config.ts` binds 127.0.0.1:8000 itself), which is handy before installing the units.
 */
import { defineConfig } from '@tgun/core';

export default defineConfig({
  app: 'src/app.mjs:app',
  bind: '127.0.0.1:8000',
  workers: 4,
  // tgun.service's TimeoutStopSec (40 s) must stay above this, or systemd kills workers mid-request.
  gracefulTimeout: 30,
  timeout: 30,
  // stderr goes to the journal; the access log to stdout, which systemd captures as well.
  errorLog: '-',
  accessLog: '-',
});
