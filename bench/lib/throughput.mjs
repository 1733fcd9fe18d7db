/**
 * The throughput matrix: every (app, manager) configuration, plus tgun with its access log on and tgun over
 * a unix socket (with autocannon, against the same tool on TCP), run once per round in the same order each
 * round (A B C … A B C …). With more than one `--node` line, each default configuration also runs on every
 * further line, right after its primary-line run, and its id ends in ` @nodeNN`. Each run: startup, warm-up, the measured load with CPU and the mid-run keep-alive
 * split, RSS after the load, then the per-worker distribution of fresh connections.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { distribution, get } from './http.mjs';
import { autocannon, wrk } from './load.mjs';
import { MANAGERS } from './managers/index.mjs';
import { TICKS_PER_SECOND, cpuTicks, rssMb } from './procs.mjs';
import { withServer } from './session.mjs';
import { connectionsByPid, splitText } from './ss.mjs';

/**
 * @typedef {'default' | 'access-log' | 'unix' | 'tcp-autocannon'} Variant
 * @typedef {{ id: string, app: string, manager: string, variant: Variant, label: string, line: string, primaryLine: boolean, node: string }} Config
 * @typedef {{ masterMb: number, workersMb: number[] }} Memory
 */

/** @type {Record<Variant, string>} */
const SUFFIX = {
  default: '',
  'access-log': ' +access-log',
  unix: ' unix (autocannon)',
  'tcp-autocannon': ' tcp (autocannon)',
};

/**
 * The configurations of one round, in run order.
 * @param {import('./args.mjs').BenchOptions} opts
 * @returns {Config[]}
 */
export function configurations(opts) {
  /** @type {Config[]} */
  const out = [];
  const [primary, ...others] = opts.nodeLines;
  if (!primary) throw new Error('no Node line to run on');
  const add = (
    /** @type {string} */ app,
    /** @type {string} */ manager,
    /** @type {Variant} */ variant,
    line = primary,
  ) => {
    const at = line === primary ? '' : ` @${line.label}`;
    out.push({
      id: `${app}/${manager}${SUFFIX[variant]}${at}`,
      app,
      manager,
      variant,
      label: `${manager}${SUFFIX[variant]}${at}`,
      line: line.label,
      primaryLine: line === primary,
      node: line.bin,
    });
  };
  for (const app of opts.apps) {
    for (const manager of opts.managers) {
      add(app, manager, 'default');
      for (const line of others) add(app, manager, 'default', line);
    }
    if (opts.managers.includes('tgun') && opts.extrasApps.includes(app)) {
      add(app, 'tgun', 'access-log');
      add(app, 'tgun', 'tcp-autocannon');
      add(app, 'tgun', 'unix');
    }
  }
  return out;
}

/**
 * @param {import('./managers/common.mjs').Running} server
 * @returns {Memory}
 */
function memory(server) {
  return { masterMb: rssMb(server.masterPid), workersMb: server.workerPids().map(rssMb) };
}

/**
 * Time until every worker has answered `/pid` once (fresh connections), or null after 5 s.
 * @param {import('./session.mjs').Session} s
 * @param {number} workers
 */
async function allWorkersMs(s, workers) {
  const seen = new Set();
  const end = Date.now() + 5000;
  while (Date.now() < end) {
    const res = await get(s.target, '/pid').catch(() => null);
    if (res?.status === 200) seen.add(res.body);
    if (seen.size >= workers) return performance.now() - s.server.spawnedAt;
    await sleep(2);
  }
  return null;
}

/**
 * Runs one configuration once.
 * @param {Config} config
 * @param {number} round
 * @param {import('./args.mjs').BenchOptions} opts
 */
export async function runConfig(config, round, opts) {
  const manager = MANAGERS[config.manager];
  if (!manager) throw new Error(`unknown manager ${config.manager}`);
  const expectWorkers = config.manager === 'single' ? 1 : opts.workers;
  const { value, cleanup } = await withServer(
    manager,
    {
      app: /** @type {import('./managers/common.mjs').AppName} */ (config.app),
      workers: opts.workers,
      node: config.node,
      accessLog: config.variant === 'access-log',
      unix: config.variant === 'unix',
    },
    async (s) => {
      const allMs = await allWorkersMs(s, expectWorkers);
      const idle = memory(s.server);
      const port = 'port' in s.target ? s.target.port : 0;
      const run = (/** @type {number} */ durationS) => {
        const o = { connections: opts.connections, durationS, mark: s.mark };
        return config.variant === 'unix' || config.variant === 'tcp-autocannon'
          ? autocannon(s.target, o)
          : wrk(s.url, o);
      };
      if (opts.warmupS > 0) await run(opts.warmupS);
      const pids = [s.server.masterPid, ...s.server.workerPids()];
      const before = { all: cpuTicks(pids), master: cpuTicks([s.server.masterPid]), t: performance.now() };
      const splitLater = port ? sleep((opts.durationS * 1000) / 2).then(() => connectionsByPid(port)) : null;
      const load = await run(opts.durationS);
      const seconds = (performance.now() - before.t) / 1000;
      const pct = (/** @type {number} */ ticks) => (ticks / TICKS_PER_SECOND / seconds) * 100;
      const cpu = {
        all: pct(cpuTicks(pids) - before.all),
        master: pct(cpuTicks([s.server.masterPid]) - before.master),
      };
      const split = splitLater ? await splitLater : {};
      const loaded = memory(s.server);
      const c1 = await distribution(s.target, opts.samples, 1);
      const c16 = await distribution(s.target, opts.samples, 16);
      return {
        startupMs: s.startupMs,
        allWorkersMs: allMs,
        idle,
        loaded,
        load,
        cpu,
        split: splitText(split),
        c1,
        c16,
        served: s.server.served,
      };
    },
  );
  return { ...config, round, ...value, cleanup };
}

/**
 * All rounds of all configurations; `onRun` is told about each finished run.
 * @param {import('./args.mjs').BenchOptions} opts
 * @param {(line: string) => void} log
 */
export async function runThroughput(opts, log) {
  const configs = configurations(opts);
  /** @type {Array<Awaited<ReturnType<typeof runConfig>> | (Config & { round: number, error: string })>} */
  const runs = [];
  for (let round = 1; round <= opts.rounds; round++) {
    for (const config of configs) {
      try {
        const r = await runConfig(config, round, opts);
        runs.push(r);
        log(
          `round ${round} ${config.id}: ${Math.round(r.load.rps)} req/s, p99 ${r.load.p99.toFixed(2)} ms, ` +
            `errors ${r.load.errors}, split ${r.split}, startup ${Math.round(r.startupMs ?? Number.NaN)} ms` +
            (r.cleanup.leftovers.length ? `, LEFTOVERS ${r.cleanup.leftovers.join(',')}` : ''),
        );
      } catch (err) {
        const error = String(/** @type {Error} */ (err).message ?? err).slice(0, 2000);
        runs.push({ ...config, round, error });
        log(`round ${round} ${config.id}: ERROR ${error.split('\n')[0]}`);
      }
    }
  }
  return runs;
}
