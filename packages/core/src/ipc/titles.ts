/**
 * Process titles, shared by the arbiter and its workers so `ps` shows `tgun: master [NAME]` and
 * `tgun: worker [NAME]` like gunicorn's `gunicorn: master [NAME]`.
 */

/** The name in brackets: `--name` when set, else the app URI (gunicorn's `default_proc_name`). */
export function procName(configured: string | null, appUri: string): string {
  return configured ?? appUri;
}

/** The arbiter's title; an unpromoted USR2 child shows `NAME.2`, as gunicorn does. */
export function masterTitle(name: string, reexecChild = false): string {
  return `tgun: master [${name}${reexecChild ? '.2' : ''}]`;
}

/** A worker's title. */
export function workerTitle(name: string): string {
  return `tgun: worker [${name}]`;
}

/**
 * Sets the title; on Linux it only fits in the memory of the original argv, so callers that spawn a process
 * pad its argv first (see the pool). Failures are harmless and ignored (some platforms refuse it).
 */
export function setTitle(title: string): void {
  try {
    process.title = title;
  } catch {
    // Cosmetic only.
  }
}
