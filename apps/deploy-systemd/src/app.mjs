/**
 * The app behind the socket unit: a plain `(req, res)` handler that says which process answered, and shows
 * that systemd's hand-over variables stop at the arbiter.
 * @param {import('node:http').IncomingMessage} _req
 * @param {import('node:http').ServerResponse} res
 */
export function app(_req, res) {
  const body = {
    pid: process.pid,
    // The arbiter: the process systemd started with the socket.
    arbiterPid: process.ppid,
    // Meant for the arbiter only; a worker that saw them could mistake its inherited fds for systemd's.
    listenFds: process.env.LISTEN_FDS ?? null,
    listenPid: process.env.LISTEN_PID ?? null,
    // Set by the unit's Environment= line.
    nodeEnv: process.env.NODE_ENV ?? null,
  };
  res.setHeader('content-type', 'application/json');
  res.end(`${JSON.stringify(body)}\n`);
}
