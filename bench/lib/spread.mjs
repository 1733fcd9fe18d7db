/**
 * `--scenario spread`: how evenly a burst of long-lived connections lands on the workers, and what tgun's
 * `--connection-balance fair-share` costs. Per round and manager: start it with `--workers` workers, open
 * `--held` keep-alive connections in one burst from this process (each sends `GET /pid` and stays open), wait
 * until every one has answered, then count connections per worker twice — by the pid each answered with and by
 * `ss -tnp` (owner of each established socket) — and compute max/mean over all workers. Then short-request
 * throughput of the raw app with the mechanism off and on, `Connection: close` and keep-alive, interleaved.
 */
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { wrk } from './load.mjs';
import { MANAGERS } from './managers/index.mjs';
import { until } from './procs.mjs';
import { withServer } from './session.mjs';
import { connectionsByPid } from './ss.mjs';

/** The managers the spread part compares, in run order. */
export const SPREAD_MANAGERS = ['tgun-balance-off', 'tgun-balance-on', 'cluster-rr', 'cluster-none', 'pm2'];
/** The two tgun configurations whose throughput the cost part compares. */
export const COST_MANAGERS = ['tgun-balance-off', 'tgun-balance-on'];
/** @type {readonly ('close' | 'keep-alive')[]} */
export const COST_MODES = ['close', 'keep-alive'];

/**
 * @typedef {{ manager: string, round: number, workers: number, held: number, answered: number,
 *   byAnswer: number[], bySs: number[], ratio: number, ssRatio: number, burstMs: number }} SpreadRun
 * @typedef {{ manager: string, mode: 'close' | 'keep-alive', round: number, rps: number, p99: number, errors: number }} CostRun
 * @typedef {{ manager: string, round: number, error: string, mode?: string }} FailedRun
 */

/**
 * Opens `n` connections at once, each sending one keep-alive `GET /pid`; resolves to the pid each answered
 * with (0 for none yet) and a function that closes them all.
 * @param {number} port
 * @param {number} n
 */
function burst(port, n) {
  /** @type {number[]} */
  const pids = new Array(n).fill(0);
  const sockets = pids.map((_, i) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let text = '';
    socket.on('data', (d) => {
      text += d.toString('latin1');
      const m = /\r\n\r\n(?:[0-9a-f]+\r\n)?(\d+)(?:\r\n0\r\n\r\n)?$/.exec(text);
      if (m?.[1]) pids[i] = Number(m[1]);
    });
    socket.on('error', () => {});
    // The apps answer chunked (writeHead, then end); a plain body is accepted too.
    socket.write('GET /pid HTTP/1.1\r\nHost: bench\r\n\r\n');
    return socket;
  });
  return {
    pids,
    close: () => {
      for (const s of sockets) s.destroy();
    },
  };
}

/**
 * Counts per worker (every worker listed, zeros included), busiest first.
 * @param {number[]} workerPids
 * @param {(pid: number) => number} countOf
 */
function perWorker(workerPids, countOf) {
  return workerPids.map(countOf).sort((a, b) => b - a);
}

/** @param {number[]} counts */
export function maxOverMean(counts) {
  const total = counts.reduce((a, b) => a + b, 0);
  return total > 0 ? Math.max(...counts) / (total / counts.length) : Number.NaN;
}

/**
 * One burst against one manager.
 * @param {string} name
 * @param {number} round
 * @param {import('./args.mjs').BenchOptions} opts
 * @returns {Promise<SpreadRun>}
 */
async function spreadRun(name, round, opts) {
  const manager = MANAGERS[name];
  if (!manager) throw new Error(`unknown manager ${name}`);
  const node = opts.nodeLines[0]?.bin ?? process.execPath;
  const spec = { app: /** @type {const} */ ('raw'), workers: opts.workers, node, keepAliveS: 60 };
  const { value } = await withServer(manager, spec, async (s) => {
    const port = 'port' in s.target ? s.target.port : 0;
    if (!(await until(() => s.server.workerPids().length === opts.workers, 20_000)))
      throw new Error(`${name}: ${opts.workers} workers did not start`);
    // Every worker booted and (tgun) told of its siblings; the start-up probe's connection closed.
    await sleep(1000);
    const t0 = performance.now();
    const b = burst(port, opts.held);
    await until(() => b.pids.every((p) => p !== 0), 30_000);
    const burstMs = performance.now() - t0;
    const ss = await connectionsByPid(port);
    b.close();
    const workerPids = s.server.workerPids();
    const byAnswer = perWorker(workerPids, (pid) => b.pids.filter((p) => p === pid).length);
    const bySs = perWorker(workerPids, (pid) => ss[String(pid)] ?? 0);
    const answered = b.pids.filter((p) => p !== 0).length;
    return {
      manager: name,
      round,
      workers: workerPids.length,
      held: opts.held,
      answered,
      byAnswer,
      bySs,
      ratio: maxOverMean(byAnswer),
      ssRatio: maxOverMean(bySs),
      burstMs,
    };
  });
  return value;
}

/**
 * Short-request throughput of the raw app under one tgun configuration.
 * @param {string} name
 * @param {'close' | 'keep-alive'} mode
 * @param {number} round
 * @param {import('./args.mjs').BenchOptions} opts
 * @returns {Promise<CostRun>}
 */
async function costRun(name, mode, round, opts) {
  const manager = MANAGERS[name];
  if (!manager) throw new Error(`unknown manager ${name}`);
  const node = opts.nodeLines[0]?.bin ?? process.execPath;
  const { value } = await withServer(manager, { app: 'raw', workers: opts.workers, node }, async (s) => {
    const o = { connections: opts.connections, close: mode === 'close', mark: s.mark };
    if (opts.warmupS > 0) await wrk(s.url, { ...o, durationS: opts.warmupS });
    return wrk(s.url, { ...o, durationS: opts.durationS });
  });
  return { manager: name, mode, round, rps: value.rps, p99: value.p99, errors: value.errors };
}

/**
 * Both parts, rounds interleaved (A B C … A B C …).
 * @param {import('./args.mjs').BenchOptions} opts
 * @param {(line: string) => void} log
 */
export async function runSpread(opts, log) {
  /** @type {Array<SpreadRun | FailedRun>} */
  const spread = [];
  /** @type {Array<CostRun | FailedRun>} */
  const cost = [];
  const fail = (/** @type {unknown} */ err) => String(/** @type {Error} */ (err).message ?? err).slice(0, 2000);
  for (let round = 1; round <= opts.rounds; round++) {
    for (const name of SPREAD_MANAGERS) {
      try {
        const r = await spreadRun(name, round, opts);
        spread.push(r);
        log(
          `spread round ${round} ${name}: ${r.byAnswer.join('/')} (ss ${r.bySs.join('/')}), max/mean ${r.ratio.toFixed(2)}, ` +
            `${r.answered}/${r.held} answered in ${Math.round(r.burstMs)} ms`,
        );
      } catch (err) {
        spread.push({ manager: name, round, error: fail(err) });
        log(`spread round ${round} ${name}: ERROR ${fail(err).split('\n')[0]}`);
      }
    }
  }
  if (opts.throughput) {
    for (let round = 1; round <= opts.rounds; round++) {
      for (const mode of COST_MODES) {
        for (const name of COST_MANAGERS) {
          try {
            const r = await costRun(name, mode, round, opts);
            cost.push(r);
            log(`cost round ${round} ${name} ${mode}: ${Math.round(r.rps)} req/s, p99 ${r.p99.toFixed(2)} ms`);
          } catch (err) {
            cost.push({ manager: name, mode, round, error: fail(err) });
            log(`cost round ${round} ${name} ${mode}: ERROR ${fail(err).split('\n')[0]}`);
          }
        }
      }
    }
  }
  return { spread, cost };
}
