/**
 * Turning "could not talk to the arbiter" into a message an operator can act on, and into `tgun ctl`'s exit
 * status: 3 when no arbiter is reachable, 1 when one answered but the command could not be carried out.
 */
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { isAlive } from '../../arbiter/pidfile.js';
import type { ControlClientError } from '../../control/client.js';
import { PROTOCOL_VERSION } from '../../control/protocol.js';
import { VERSION } from '../../version.js';
import type { Located } from './locate.js';

/** Exit statuses of `tgun ctl`. */
export const CTL_EXIT = { ok: 0, failed: 1, usage: 2, unreachable: 3 } as const;

/** A failure as `tgun ctl` reports it. */
export interface CtlFailure {
  readonly status: number;
  /** Stable, for `--json`: the client failure reason, or the arbiter's error code. */
  readonly code: string;
  readonly message: string;
}

function owner(path: string): string {
  for (const p of [path, dirname(path)]) {
    try {
      const st = statSync(p);
      return `${p} belongs to uid ${st.uid} (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')})`;
    } catch {}
  }
  return `${dirname(path)} is not accessible to this user`;
}

function pidNote(at: Located): string {
  if (!at.pidfile) return '';
  const { path, pid } = at.pidfile;
  if (pid === null) return ` (no pid in ${path})`;
  return isAlive(pid)
    ? ` (${path} names pid ${pid}, which is running)`
    : ` (${path} names pid ${pid}, which is not running)`;
}

/** The report for a connection-level failure. */
export function describeClientError(err: ControlClientError, at: Located): CtlFailure {
  const where = at.path;
  const unreachable = (message: string): CtlFailure => ({ status: CTL_EXIT.unreachable, code: err.reason, message });
  switch (err.reason) {
    case 'missing':
      return unreachable(
        `no tgun arbiter answers at ${where} — is it running? \`tgun --pid FILE …\` starts one` +
          `${pidNote(at)}; the socket was looked up from ${at.how}`,
      );
    case 'refused':
      return unreachable(
        `the control socket ${where} belongs to a dead arbiter: nobody listens on it${pidNote(at)}. ` +
          'Starting tgun again replaces it; or remove the file.',
      );
    case 'denied':
      return unreachable(
        `permission denied on ${where}: only the user who started the arbiter (and root) may use its control ` +
          `socket; ${owner(where)}. Run tgun ctl as that user, or start tgun with --control-socket-mode 0660 for a group.`,
      );
    case 'not-a-socket':
      return unreachable(`${where} is not a unix socket, so no arbiter listens there (found via ${at.how})`);
    case 'timeout':
      return unreachable(`the arbiter at ${where} did not answer in time; it may be stuck (try its pid with SIGTERM)`);
    case 'closed':
      return unreachable(`the arbiter at ${where} closed the connection; it may be shutting down`);
    case 'version':
      return {
        status: CTL_EXIT.failed,
        code: 'version',
        message:
          `version mismatch: this tgun ctl (tgun ${VERSION}) speaks control protocol ${PROTOCOL_VERSION}, the arbiter ` +
          `at ${where} speaks ${err.peerVersion}. Use the tgun that started the arbiter (\`npx tgun ctl\` in the app's directory).`,
      };
    case 'garbled':
      return {
        status: CTL_EXIT.failed,
        code: 'garbled',
        message: `${err.message}; is ${where} a tgun control socket?`,
      };
  }
}

/** Prints a failure: a JSON object on stdout with `--json` (scripts parse stdout), else a line on stderr. */
export function reportFailure(failure: CtlFailure, json: boolean): number {
  if (json) {
    process.stdout.write(`${JSON.stringify({ ok: false, error: { code: failure.code, message: failure.message } })}\n`);
  } else {
    process.stderr.write(`tgun ctl: ${failure.message}\n`);
  }
  return failure.status;
}
