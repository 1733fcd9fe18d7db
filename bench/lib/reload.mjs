/**
 * The reload scenario: the raw app under continuous wrk load (keep-alive clients, then `Connection: close`
 * clients) while each manager reloads once, `reloadAt` into the run. Failed requests = wrk socket errors +
 * non-2xx during the run; the latency spike is the run's max latency. Afterwards a sample of fresh
 * connections must be answered by new workers only.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { distribution, get } from './http.mjs';
import { wrk } from './load.mjs';
import { MANAGERS } from './managers/index.mjs';
import { withServer } from './session.mjs';

/**
 * @typedef {{ mode: string, manager: string, kind: import('./managers/common.mjs').ReloadKind, strategy?: 'all' | 'rolling', label: string }} ReloadMode
 */

/** @type {Record<string, ReloadMode>} */
export const RELOAD_MODES = {
  'tgun-hup': { mode: 'tgun-hup', manager: 'tgun', kind: 'hup', label: 'tgun HUP' },
  'tgun-rolling': {
    mode: 'tgun-rolling',
    manager: 'tgun',
    kind: 'rolling',
    strategy: 'rolling',
    label: 'tgun HUP, --reload-strategy rolling',
  },
  'tgun-usr2': { mode: 'tgun-usr2', manager: 'tgun', kind: 'usr2', label: 'tgun USR2 + WINCH + TERM old master' },
  pm2: { mode: 'pm2', manager: 'pm2', kind: 'pm2-reload', label: 'pm2 reload' },
  cluster: {
    mode: 'cluster',
    manager: 'cluster-rr',
    kind: 'cluster-rolling',
    label: 'node:cluster rolling restart (RR)',
  },
};

/**
 * @param {import('./session.mjs').Session} s
 * @param {number} workers
 */
async function allServing(s, workers) {
  const seen = new Set();
  for (let i = 0; i < 500 && seen.size < workers; i++) {
    const res = await get(s.target, '/pid').catch(() => null);
    if (res?.status === 200) seen.add(res.body);
  }
  return seen.size >= workers;
}

/**
 * One reload under load.
 * @param {ReloadMode} mode
 * @param {'keepalive' | 'close'} client
 * @param {number} round
 * @param {import('./args.mjs').BenchOptions} opts
 */
export async function runReload(mode, client, round, opts) {
  const manager = MANAGERS[mode.manager];
  if (!manager) throw new Error(`unknown manager ${mode.manager}`);
  const reloadAtS = Math.min(2, opts.reloadDurationS / 3);
  const spec = {
    app: /** @type {const} */ ('raw'),
    workers: opts.workers,
    // Reloads compare managers, not Node lines: they run on the primary line only.
    node: /** @type {import('./node-lines.mjs').NodeLine} */ (opts.nodeLines[0]).bin,
    ...(mode.strategy ? { reloadStrategy: mode.strategy } : {}),
  };
  const { value, cleanup } = await withServer(manager, spec, async (s) => {
    await allServing(s, opts.workers);
    const before = new Set(s.server.workerPids().map(String));
    const durationS = Math.max(1, Math.round(opts.reloadDurationS));
    const loading = wrk(s.url, { connections: opts.connections, durationS, close: client === 'close', mark: s.mark });
    await sleep(reloadAtS * 1000);
    const reloadMs = await s.server.reload(mode.kind);
    const load = await loading;
    const after = s.server.workerPids().map(String);
    const sample = await distribution(s.target, 100, 4);
    const oldAnswered = Object.entries(sample.counts)
      .filter(([pid]) => before.has(pid))
      .reduce((n, [, c]) => n + c, 0);
    return {
      reloadMs,
      finishedDuringLoad: reloadAtS * 1000 + reloadMs < durationS * 1000,
      load,
      replaced: after.length === opts.workers && after.every((p) => !before.has(p)),
      oldAnswered,
      sampleFailed: sample.failed,
    };
  });
  return { mode: mode.mode, label: mode.label, manager: mode.manager, client, round, ...value, cleanup };
}

/**
 * Every selected reload mode × both clients × `reloadRounds`, interleaved by round.
 * @param {import('./args.mjs').BenchOptions} opts
 * @param {(line: string) => void} log
 */
export async function runReloads(opts, log) {
  /** @type {Array<Awaited<ReturnType<typeof runReload>> | { mode: string, label: string, manager: string, client: string, round: number, error: string }>} */
  const runs = [];
  const modes = opts.reloadModes.map((m) => /** @type {ReloadMode} */ (RELOAD_MODES[m]));
  for (let round = 1; round <= opts.reloadRounds; round++) {
    for (const mode of modes) {
      for (const client of /** @type {const} */ (['keepalive', 'close'])) {
        try {
          const r = await runReload(mode, client, round, opts);
          runs.push(r);
          log(
            `reload round ${round} ${mode.mode} ${client}: failed ${r.load.errors} ${JSON.stringify(r.load.errorKinds)}, ` +
              `reload ${Math.round(r.reloadMs)} ms, max latency ${r.load.max.toFixed(1)} ms, replaced ${r.replaced}` +
              (r.cleanup.leftovers.length ? `, LEFTOVERS ${r.cleanup.leftovers.join(',')}` : ''),
          );
        } catch (err) {
          const error = String(/** @type {Error} */ (err).message ?? err).slice(0, 2000);
          runs.push({ mode: mode.mode, label: mode.label, manager: mode.manager, client, round, error });
          log(`reload round ${round} ${mode.mode} ${client}: ERROR ${error.split('\n')[0]}`);
        }
      }
    }
  }
  return runs;
}
