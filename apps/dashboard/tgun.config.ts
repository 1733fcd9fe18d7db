/**
 * The seed's gunicorn.conf.py, translated setting by setting with the same values; its comments are translated
 * to English, with notes where Node differs. Start it with `tgun -c tgun.config.ts` from this directory
 * (`pnpm start` does exactly that). Command-line flags override anything here.
 */
import { mkdirSync } from 'node:fs';
import { defineConfig } from '@tgun/core';

// gunicorn (and tgun) open the log files but do not create their directory; make it so a fresh machine starts.
mkdirSync('/tmp/tgun', { recursive: true });

export default defineConfig({
  // The app to serve: an Express app exported as `app`, with no listen() of its own.
  app: 'src/app.mjs:app',

  bind: '127.0.0.1:8000', // the IP address and port to bind
  // chdir: '', // the working directory tgun switches to (the app path above is relative to it)
  timeout: 30, // a worker silent for longer than this many seconds is killed and restarted; the default is 30
  // workerClass: 'sync', // gunicorn: 'gevent' mode or 'sync' mode, 'sync' by default. On tgun every class is one Node event loop.
  daemon: false, // run in the background
  workers: 4, // number of worker processes
  threads: 4, // threads per worker. No meaning on Node: a worker is one event loop; kept to mirror the seed.
  logLevel: 'info', // log level
  // The access log format, in gunicorn's atoms (the error log's format cannot be set). Kept byte for byte from the
  // seed, including its unbalanced quote after %(f)s.
  accessLogFormat: '%(t)s %(p)s %(h)s "%(r)s" %(s)s %(L)s %(b)s %(f)s" "%(a)s"',
  accessLog: '/tmp/tgun/tgun_access.log', // access log file
  errorLog: '/tmp/tgun/tgun_error.log', // error log file
  // Set to true to restart automatically when the code changes (mainly for development). To control restarts
  // yourself, leave it off and send `kill -HUP <tgun master pid>`.
  reload: false,
});
