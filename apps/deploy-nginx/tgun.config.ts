/**
 * tgun behind nginx (see nginx.conf beside this file). Start it with `tgun -c tgun.config.ts` from this
 * directory; command-line flags override anything here (`-w 8`, `-b unix:/tmp/tgun.sock`).
 */
import { defineConfig } from '@tgun/core';

export default defineConfig({
  // A plain `(req, res)` handler that shows what the proxy forwards (src/app.mjs).
  app: 'src/app.mjs:app',

  // Only nginx talks to tgun, over a unix socket: no TCP port to firewall, and the file's permissions decide
  // who may connect. The directory must exist and be writable by the user tgun starts as (systemd:
  // `RuntimeDirectory=tgun`). umask 007 makes the socket rw for its owner and group: put nginx's user
  // (www-data) in tgun's group. Peers on a unix socket are always trusted with X-Forwarded-* headers.
  bind: 'unix:/run/tgun/tgun.sock',
  umask: 0o007,

  // One arbiter, several workers (`-w N` or TGUN_CMD_ARGS='-w N' override it without editing this file).
  workers: 4,

  // Must be longer than the upstream keepalive_timeout in nginx.conf (60 s): the idle side that closes first
  // should be nginx, never tgun, or a request can meet a connection tgun is closing.
  keepAlive: 75,

  // How long a HUP-replaced or stopping worker may take to finish what nginx already sent it.
  gracefulTimeout: 30,

  // Behind a proxy the client address is in X-Forwarded-For; log it instead of the proxy's.
  accessLog: '-',
  accessLogFormat: '%({x-forwarded-for}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms',
});
