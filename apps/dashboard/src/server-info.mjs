/**
 * Who is answering: the worker's pid, its parent (the arbiter, since tgun spawns workers directly) and the number
 * of workers the arbiter was configured for. This is what lets a person watch the pre-fork model — and see the
 * pids change after `kill -HUP <arbiter pid>`.
 */

/** When this process loaded the app; a HUP-reloaded worker shows a fresh time. */
const STARTED_AT = new Date().toISOString();

/**
 * The worker count the arbiter exports to its workers in `TGUN_WORKERS`, or null when the app is served some other
 * way (a plain `http.createServer`, a test) and nobody says.
 * @param {string | undefined} raw
 * @returns {number | null}
 */
export function workerCount(raw) {
  if (raw === undefined || !/^\d+$/.test(raw)) return null;
  const n = Number(raw);
  return n > 0 ? n : null;
}

/**
 * The body of `GET /api/server-info`.
 * @returns {{ workerPid: number, arbiterPid: number, workers: number | null, startedAt: string, node: string }}
 */
export function serverInfo() {
  return {
    workerPid: process.pid,
    arbiterPid: process.ppid,
    workers: workerCount(process.env.TGUN_WORKERS),
    startedAt: STARTED_AT,
    node: process.version,
  };
}

/**
 * Middleware that stamps every response with the answering worker's pid, so the page (and `curl -i`) can tell
 * which worker served each callback without changing Dash's response body.
 * @param {import('express').Request} _req
 * @param {import('express').Response} res
 * @param {import('express').NextFunction} next
 */
export function workerPidHeader(_req, res, next) {
  res.setHeader('X-Worker-Pid', String(process.pid));
  next();
}
