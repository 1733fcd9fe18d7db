/** How the arbiter's loop is told to end: gunicorn's `HaltServer(reason, status)`. */

/** Thrown anywhere in the loop to shut the arbiter down with `status` (0 for a requested stop). */
export class HaltServer extends Error {
  override name = 'HaltServer';
  constructor(
    readonly reason: string | null,
    readonly status: number,
    /** Stop workers gracefully (TERM) or at once (INT/QUIT, boot failure). */
    readonly graceful = false,
  ) {
    super(reason ?? 'halt');
  }
}
