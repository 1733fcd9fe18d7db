/**
 * The load generators. wrk (Debian) for TCP, pinned to the last CPU with taskset when there are 2+ cores so
 * it never lands on a worker's core mid-run; autocannon in a child process (also pinned) for unix sockets,
 * which wrk cannot reach. Both return the same {@link LoadResult}.
 */
import { execFile, spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MARK_ENV } from './procs.mjs';

const REPORT_LUA = fileURLToPath(new URL('./wrk-report.lua', import.meta.url));
const AUTOCANNON_CHILD = fileURLToPath(new URL('./autocannon-child.mjs', import.meta.url));

/**
 * @typedef {object} LoadResult
 * @property {string} tool
 * @property {number} requests completed requests
 * @property {number} rps requests per second
 * @property {number} p50 latency in ms
 * @property {number} p99 latency in ms
 * @property {number} max latency in ms
 * @property {number} errors socket errors + non-2xx responses
 * @property {Record<string, number>} errorKinds
 *
 * @typedef {object} LoadOptions
 * @property {number} connections
 * @property {number} durationS
 * @property {boolean} [close] send `Connection: close` (a new connection per request)
 * @property {string} [mark] marker value for the leak check
 */

/** The taskset prefix: pin the load generator to the last CPU, or nothing on a single core. */
export function pinning() {
  const cpus = availableParallelism();
  return cpus >= 2 ? ['taskset', '-c', String(cpus - 1)] : [];
}

/**
 * Whether wrk is installed.
 * @returns {Promise<boolean>}
 */
export function haveWrk() {
  return new Promise((resolve) => execFile('wrk', ['-v'], (err) => resolve(!err || err.code === 1)));
}

/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {string | undefined} mark
 * @returns {Promise<string>}
 */
function run(cmd, args, mark) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: mark ? { ...process.env, [MARK_ENV]: mark } : process.env,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.stderr.on('data', (c) => {
      err += c;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}: ${err || out}`)),
    );
  });
}

/**
 * Runs wrk against `url`.
 * @param {string} url
 * @param {LoadOptions} opts
 * @returns {Promise<LoadResult>}
 */
export async function wrk(url, opts) {
  const [cmd, ...pre] = [...pinning(), 'wrk'];
  const args = [...pre, '-t1', `-c${opts.connections}`, `-d${opts.durationS}s`, '--timeout', '10s', '-s', REPORT_LUA];
  if (opts.close) args.push('-H', 'Connection: close');
  args.push(url);
  const out = await run(/** @type {string} */ (cmd), args, opts.mark);
  const line = out.split('\n').find((l) => l.startsWith('BENCH_JSON '));
  if (!line) throw new Error(`wrk printed no report:\n${out}`);
  const r = JSON.parse(line.slice('BENCH_JSON '.length));
  // wrk counts responses with status >= 400 under `status` (its "Non-2xx or 3xx responses" line).
  const errorKinds = { ...r.errors };
  const errors = r.errors.connect + r.errors.read + r.errors.write + r.errors.timeout + r.errors.status;
  return {
    tool: 'wrk',
    requests: r.requests,
    rps: r.requests / (r.durationUs / 1e6),
    p50: r.latencyUs.p50 / 1000,
    p99: r.latencyUs.p99 / 1000,
    max: r.latencyUs.max / 1000,
    errors,
    errorKinds,
  };
}

/**
 * Runs autocannon (in a pinned child process) against a TCP port or a unix socket.
 * @param {{ port: number } | { socketPath: string }} target
 * @param {LoadOptions} opts
 * @returns {Promise<LoadResult>}
 */
export async function autocannon(target, opts) {
  const [cmd, ...pre] = [...pinning(), process.execPath];
  const spec = JSON.stringify({ target, connections: opts.connections, duration: opts.durationS, close: !!opts.close });
  const out = await run(/** @type {string} */ (cmd), [...pre, AUTOCANNON_CHILD, spec], opts.mark);
  return { tool: 'autocannon', ...JSON.parse(out) };
}
