/**
 * The bench's options: flags first, then BENCH_* environment variables, then defaults (modest: 2 workers,
 * 50 connections, 5 s, 3 rounds). `--quick` is a smoke test that finishes in about a minute.
 */
import { parseArgs } from 'node:util';
import { resolveNodeLines } from './node-lines.mjs';

export const HELP = `Usage: pnpm bench [options]      (node run.mjs [options] in bench/)

  -w, --workers N           workers per manager                       [BENCH_WORKERS, 2]
  -c, --connections N       load generator connections                [BENCH_CONNECTIONS, 50]
  -d, --duration S          seconds per measured run                  [BENCH_DURATION, 5]
  -r, --rounds N            interleaved rounds                        [BENCH_ROUNDS, 3]
      --warmup S            warm-up seconds before each run (0: none) [BENCH_WARMUP, 1]
      --apps LIST           raw,express,koa,fastify                   [BENCH_APPS, all]
      --managers LIST       tgun,cluster-rr,cluster-none,pm2,single   [BENCH_MANAGERS, all]
                            (also tgun-nostats: tgun with its statistics off, not in "all")
      --extras-apps LIST    apps for tgun access-log on/off and unix  [BENCH_EXTRAS_APPS, raw]
      --reload-modes LIST   tgun-hup,tgun-rolling,tgun-usr2,pm2,cluster [BENCH_RELOAD_MODES, all]
      --reload-rounds N     rounds of the reload scenario             [BENCH_RELOAD_ROUNDS, 1]
      --reload-duration S   seconds of load around each reload        [BENCH_RELOAD_DURATION, 6]
      --samples N           requests per distribution sample          [BENCH_SAMPLES, 200]
      --no-throughput       skip the throughput matrix
      --no-reload           skip the reload scenario
      --out DIR             where latest.json and latest.md go        [results]
      --node LIST           Node lines to run the managers on: 26, current [BENCH_NODE, current]
                            or a path; the first is primary, the others get a
                            per-line table (fetch a line: node scripts/node-lines.mjs 26)
      --scenario stats      tgun vs tgun-nostats only: the cost of the worker statistics
                            (raw app, no extras, no reloads, --out results/stats)
      --scenario spread     connection spread: 4 workers (unless -w), --held connections
                            opened in a burst, per-worker split and max/mean for tgun
                            with --connection-balance off and fair-share, cluster RR and
                            SCHED_NONE, PM2; then the balance's throughput cost
                            (5 rounds unless -r; --no-throughput skips it; --out results/spread)
      --held N              connections held per burst (spread)       [BENCH_HELD, 400]
      --quick               smoke test: raw app, 1 round, 2 s runs, short reloads
  -h, --help
`;

/**
 * @typedef {object} BenchOptions
 * @property {number} workers
 * @property {number} connections
 * @property {number} durationS
 * @property {number} rounds
 * @property {number} warmupS
 * @property {string[]} apps
 * @property {string[]} managers
 * @property {string[]} extrasApps
 * @property {string[]} reloadModes
 * @property {number} reloadRounds
 * @property {number} reloadDurationS
 * @property {number} samples
 * @property {boolean} throughput
 * @property {boolean} reload
 * @property {string} out
 * @property {boolean} quick
 * @property {'stats' | 'spread' | null} scenario
 * @property {number} held connections per burst in the spread scenario
 * @property {import('./node-lines.mjs').NodeLine[]} nodeLines primary first
 * @property {boolean} help
 */

export const ALL_APPS = ['raw', 'express', 'koa', 'fastify'];
export const ALL_MANAGERS = ['tgun', 'cluster-rr', 'cluster-none', 'pm2', 'single'];
/** Accepted by `--managers` but not in the default list: only the statistics scenario needs it. */
export const KNOWN_MANAGERS = [...ALL_MANAGERS, 'tgun-nostats'];
const SCENARIOS = ['stats', 'spread'];
export const ALL_RELOADS = ['tgun-hup', 'tgun-rolling', 'tgun-usr2', 'pm2', 'cluster'];

/**
 * @param {string | undefined} text
 * @param {readonly string[]} allowed
 * @param {string} what
 * @param {boolean} [any] accept any item (`allowed` unused)
 */
function list(text, allowed, what, any = false) {
  const items = (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = any ? [] : items.filter((i) => !allowed.includes(i));
  if (bad.length > 0) throw new Error(`unknown ${what}: ${bad.join(', ')} (known: ${allowed.join(', ')})`);
  return items;
}

/**
 * @param {string | undefined} text
 * @param {number} fallback
 * @param {string} what
 * @param {boolean} [zeroOk]
 */
function num(text, fallback, what, zeroOk = false) {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || (n === 0 && !zeroOk))
    throw new Error(`${what} must be a positive number, not '${text}'`);
  return n;
}

/**
 * Parses `argv` (without node and script) with `env` as the fallback.
 * @param {string[]} argv
 * @param {NodeJS.ProcessEnv} env
 * @returns {BenchOptions}
 */
export function parseOptions(argv, env) {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      workers: { type: 'string', short: 'w' },
      connections: { type: 'string', short: 'c' },
      duration: { type: 'string', short: 'd' },
      rounds: { type: 'string', short: 'r' },
      warmup: { type: 'string' },
      apps: { type: 'string' },
      managers: { type: 'string' },
      'extras-apps': { type: 'string' },
      'reload-modes': { type: 'string' },
      'reload-rounds': { type: 'string' },
      'reload-duration': { type: 'string' },
      samples: { type: 'string' },
      'no-throughput': { type: 'boolean' },
      'no-reload': { type: 'boolean' },
      out: { type: 'string' },
      quick: { type: 'boolean' },
      node: { type: 'string' },
      scenario: { type: 'string' },
      held: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const quick = Boolean(v.quick);
  const pick = (/** @type {string | undefined} */ flag, /** @type {string} */ name) => flag ?? env[name];
  const scenario =
    v.scenario === undefined ? null : /** @type {'stats' | 'spread'} */ (list(v.scenario, SCENARIOS, 'scenario')[0]);
  const stats = scenario === 'stats';
  const spread = scenario === 'spread';
  const wantsHelp = Boolean(v.help);
  return {
    workers: num(pick(v.workers, 'BENCH_WORKERS'), spread ? 4 : 2, 'workers'),
    connections: num(pick(v.connections, 'BENCH_CONNECTIONS'), 50, 'connections'),
    durationS: Math.round(num(pick(v.duration, 'BENCH_DURATION'), quick ? 2 : 5, 'duration')),
    rounds: num(pick(v.rounds, 'BENCH_ROUNDS'), quick ? 1 : spread ? 5 : 3, 'rounds'),
    warmupS: Math.round(num(pick(v.warmup, 'BENCH_WARMUP'), 1, 'warmup', true)),
    apps: list(pick(v.apps, 'BENCH_APPS') ?? (quick || stats ? 'raw' : ALL_APPS.join(',')), ALL_APPS, 'app'),
    managers: list(
      pick(v.managers, 'BENCH_MANAGERS') ?? (stats ? 'tgun,tgun-nostats' : ALL_MANAGERS.join(',')),
      KNOWN_MANAGERS,
      'manager',
    ),
    extrasApps: stats ? [] : list(pick(v['extras-apps'], 'BENCH_EXTRAS_APPS') ?? 'raw', ALL_APPS, 'app'),
    reloadModes: list(
      pick(v['reload-modes'], 'BENCH_RELOAD_MODES') ?? ALL_RELOADS.join(','),
      ALL_RELOADS,
      'reload mode',
    ),
    reloadRounds: num(pick(v['reload-rounds'], 'BENCH_RELOAD_ROUNDS'), 1, 'reload rounds'),
    reloadDurationS: num(pick(v['reload-duration'], 'BENCH_RELOAD_DURATION'), quick ? 4 : 6, 'reload duration'),
    samples: num(pick(v.samples, 'BENCH_SAMPLES'), quick ? 100 : 200, 'samples'),
    throughput: !v['no-throughput'],
    reload: !v['no-reload'] && !stats && !spread,
    out: v.out ?? (stats ? 'results/stats' : spread ? 'results/spread' : 'results'),
    quick,
    scenario,
    held: num(pick(v.held, 'BENCH_HELD'), 400, 'held'),
    // Resolving runs each binary once (`--version`); `--help` must work without a fetched line.
    nodeLines: wantsHelp ? [] : resolveNodeLines(list(pick(v.node, 'BENCH_NODE'), [], 'node', true)),
    help: wantsHelp,
  };
}
