/**
 * systemd socket activation (`LISTEN_FDS`/`LISTEN_PID`): systemd binds, starts tgun with the sockets at fds 3…,
 * and tgun passes them to its workers like any other listener. The parsing lives in {@link takeInherited};
 * this module is the documented entry point and the check used by the arbiter's shutdown.
 */
export { takeInherited } from './inherit.js';

/** Whether this process was started by systemd socket activation (before the variables are consumed). */
export function isSocketActivated(env: NodeJS.ProcessEnv, pid = process.pid): boolean {
  return Boolean(env.LISTEN_PID) && Number(env.LISTEN_PID) === pid && Number(env.LISTEN_FDS ?? '0') > 0;
}
