/**
 * Small HTTP helpers on loopback or unix sockets: a free port, a one-shot GET on a fresh connection, waiting
 * for the first 200, and the per-worker request distribution (each bench app answers `/pid` with its pid).
 */
import { request } from 'node:http';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * @typedef {{ port: number } | { socketPath: string }} Target
 */

/** A port the kernel just handed out on 127.0.0.1 (closed again; the small race is acceptable for a bench). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = addr && typeof addr === 'object' ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Whether nothing listens on 127.0.0.1:`port` any more.
 * @param {number} port
 * @returns {Promise<boolean>}
 */
export function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * GET `path` on a fresh `Connection: close` connection.
 * @param {Target} target
 * @param {string} path
 * @param {number} [timeoutMs]
 * @returns {Promise<{ status: number, body: string }>}
 */
export function get(target, path, timeoutMs = 2000) {
  return new Promise((resolve, reject) => {
    const where = 'port' in target ? { host: '127.0.0.1', port: target.port } : { socketPath: target.socketPath };
    const req = request(
      { ...where, path, agent: false, headers: { connection: 'close' }, timeout: timeoutMs },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Polls `/` every 5 ms until it answers 200; resolves to the time that took from `startedAt`, or null.
 * @param {Target} target
 * @param {number} startedAt a `performance.now()` value
 * @param {number} [timeoutMs]
 */
export async function firstOk(target, startedAt, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      const res = await get(target, '/', 1000);
      if (res.status === 200) return performance.now() - startedAt;
    } catch {
      // Not listening yet.
    }
    await sleep(5);
  }
  return null;
}

/**
 * Sends `total` requests to `/pid`, `concurrency` at a time, each on its own connection, and tallies the
 * answering pids. `maxShare` is the busiest worker's share (0.5 is an even split over 2).
 * @param {Target} target
 * @param {number} total
 * @param {number} concurrency
 */
export async function distribution(target, total, concurrency) {
  /** @type {Map<string, number>} */
  const counts = new Map();
  let sent = 0;
  let failed = 0;
  const loop = async () => {
    while (sent < total) {
      sent++;
      try {
        const res = await get(target, '/pid');
        if (res.status === 200) counts.set(res.body, (counts.get(res.body) ?? 0) + 1);
        else failed++;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const answered = total - failed;
  const max = Math.max(0, ...counts.values());
  return { counts: Object.fromEntries(counts), failed, maxShare: answered > 0 ? max / answered : 0 };
}
