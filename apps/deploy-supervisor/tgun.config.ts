/**
 * The settings that rarely change per machine; supervisor's `command=` line (tgun-supervisor.conf) adds the
 * socket, worker count and log targets, and the command line wins over this file.
 */
import { defineConfig } from '@tgun/core';

export default defineConfig({
  app: 'src/app.mjs:app',
  timeout: 30,
  // The socket is rw for tgun's user and group only: put nginx's user in that group.
  umask: 0o007,
  keepAlive: 75,
  // Never daemonize under a supervisor: it must see tgun's own pid stay alive.
  daemon: false,
});
