/**
 * The environment: `-e KEY=VALUE` (`rawEnv`) is exported in the arbiter and passed to workers; a HUP undoes
 * the previous values before applying the new ones. Hand-over variables (`TGUN_FD`, `TGUN_PID`, systemd's
 * `LISTEN_*`) never reach a worker.
 */

const HANDOVER = [
  'TGUN_FD',
  'TGUN_FD_META',
  'TGUN_PID',
  'TGUN_DAEMONIZED',
  'LISTEN_PID',
  'LISTEN_FDS',
  'LISTEN_FDNAMES',
];

/** `['A=1', 'B=x=y']` → `{ A: '1', B: 'x=y' }`. */
export function parseRawEnv(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of list) {
    const i = entry.indexOf('=');
    if (i > 0) out[entry.slice(0, i)] = entry.slice(i + 1);
  }
  return out;
}

/** A copy of `env` without the hand-over variables. */
export function withoutHandover(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const key of HANDOVER) delete out[key];
  return out;
}

/** Applies `rawEnv` to `process.env`, first restoring what a previous call changed. */
export class RawEnv {
  private applied: Record<string, string> = {};

  constructor(private readonly base: NodeJS.ProcessEnv) {}

  apply(list: readonly string[]): void {
    for (const key of Object.keys(this.applied)) {
      if (this.base[key] === undefined) delete process.env[key];
      else process.env[key] = this.base[key];
    }
    this.applied = parseRawEnv(list);
    Object.assign(process.env, this.applied);
  }
}
