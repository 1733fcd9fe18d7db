/**
 * One server's life in the bench: a private temp dir, a free port, a fresh marker; start, wait for the
 * first 200, run the measurement, stop gracefully, then the leak check (marker scan + SIGKILL by pid of any
 * survivor) and a check that the port is free again. Interrupting the bench still runs the leak check.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstOk, freePort, portIsFree } from './http.mjs';
import { marked, reapMarked, signal } from './procs.mjs';

const RUN_ID = randomUUID().slice(0, 8);
let serial = 0;
/** Markers of servers currently up, for the interrupt handler. */
const live = new Set();

/** Kills (by pid) every process of a live server, e.g. when the bench is interrupted. */
export function killLive() {
  for (const mark of live) for (const pid of marked(mark)) signal(pid, 'SIGKILL');
}

/**
 * @typedef {object} Cleanup
 * @property {number[]} leftovers pids that survived the graceful stop and were SIGKILLed
 * @property {boolean} portFree
 * @property {boolean} socketFileLeft a unix socket path still exists after the stop
 * @property {string} [stopError]
 *
 * @typedef {object} Session
 * @property {import('./managers/common.mjs').Running} server
 * @property {{ port: number } | { socketPath: string }} target
 * @property {string} url `http://127.0.0.1:PORT/` (TCP only)
 * @property {number | null} startupMs spawn → first 200
 * @property {string} mark
 */

/**
 * Starts `manager` with `spec`, runs `body`, and always cleans up.
 * @template T
 * @param {import('./managers/common.mjs').Manager} manager
 * @param {Omit<import('./managers/common.mjs').StartSpec, 'mark' | 'dir' | 'port' | 'socketPath'> & { unix?: boolean }} spec
 * @param {(s: Session) => Promise<T>} body
 * @returns {Promise<{ value: T, cleanup: Cleanup }>}
 */
export async function withServer(manager, spec, body) {
  const dir = mkdtempSync(join(tmpdir(), 'tgun-bench-'));
  const mark = `${RUN_ID}-${++serial}`;
  const port = await freePort();
  const socketPath = spec.unix ? join(dir, 'tgun.sock') : undefined;
  live.add(mark);
  /** @type {import('./managers/common.mjs').Running | null} */
  let server = null;
  try {
    server = await manager.start({ ...spec, mark, dir, port, ...(socketPath ? { socketPath } : {}) });
    const target = socketPath ? { socketPath } : { port };
    const startupMs = await firstOk(target, server.spawnedAt);
    if (startupMs === null) throw new Error(`${manager.name} never answered 200:\n${server.logs().slice(-3000)}`);
    const value = await body({ server, target, url: `http://127.0.0.1:${port}/`, startupMs, mark });
    return { value, cleanup: await cleanUp(server, mark, port, socketPath) };
  } catch (err) {
    if (server) await cleanUp(server, mark, port, socketPath).catch(() => undefined);
    else await reapMarked(mark, 1000);
    throw err;
  } finally {
    live.delete(mark);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * @param {import('./managers/common.mjs').Running} server
 * @param {string} mark
 * @param {number} port
 * @param {string | undefined} socketPath
 * @returns {Promise<Cleanup>}
 */
async function cleanUp(server, mark, port, socketPath) {
  /** @type {string | undefined} */
  let stopError;
  try {
    await server.stop();
  } catch (err) {
    stopError = String(/** @type {Error} */ (err).message ?? err);
  }
  const leftovers = await reapMarked(mark, 10_000);
  const portFree = socketPath ? true : await portIsFree(port);
  const socketFileLeft = socketPath ? existsSync(socketPath) : false;
  return { leftovers, portFree, socketFileLeft, ...(stopError ? { stopError } : {}) };
}
