/**
 * `pnpm bench`: tgun against node:cluster (RR and SCHED_NONE), PM2 cluster mode and a single process, with
 * the same workers and the same hello-world apps; then the reload scenario. Writes results/latest.json and
 * results/latest.md and prints PASS/FAIL per target. Every process it starts is stopped and checked for by
 * pid and by a marker variable; Ctrl-C kills what is running before exiting. See README.md for the method.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { HELP, parseOptions } from './lib/args.mjs';
import { haveWrk } from './lib/load.mjs';
import { describeMachine } from './lib/machine.mjs';
import { TGUN_BIN } from './lib/managers/tgun.mjs';
import { runReloads } from './lib/reload.mjs';
import { renderMarkdown } from './lib/report.mjs';
import { renderSpread, summariseSpread } from './lib/report-spread.mjs';
import { killLive } from './lib/session.mjs';
import { runSpread } from './lib/spread.mjs';
import { ratios, summariseThroughput, targets } from './lib/summary.mjs';
import { runThroughput } from './lib/throughput.mjs';

const log = (/** @type {string} */ line) => process.stdout.write(`${line}\n`);

async function main() {
  /** @type {import('./lib/args.mjs').BenchOptions} */
  let opts;
  try {
    opts = parseOptions(process.argv.slice(2), process.env);
  } catch (err) {
    process.stderr.write(`bench: ${/** @type {Error} */ (err).message}\n\n${HELP}`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (!(await haveWrk())) {
    process.stderr.write('bench: wrk is not installed (Debian/Ubuntu: apt-get install -y wrk)\n');
    return 2;
  }
  if (!existsSync(join(TGUN_BIN, '..', '..', 'dist', 'arbiter', 'run.js'))) {
    process.stderr.write('bench: tgun is not built (run `pnpm build`, or `npx tsc -b` in packages/core)\n');
    return 2;
  }
  const started = performance.now();
  const machine = describeMachine();
  log(
    `tgun bench: ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, load ${machine.loadAverageAtStart.join(' ')}`,
  );
  log(
    `${opts.workers} workers, ${opts.connections} connections, ${opts.durationS} s × ${opts.rounds} rounds; apps ${opts.apps.join(',')}`,
  );
  log(`managers on ${opts.nodeLines.map((l) => `${l.label} (${l.version}, ${l.bin})`).join(', ')}`);

  if (opts.scenario === 'spread') return spreadScenario(opts, machine, started);
  const runs = opts.throughput ? await runThroughput(opts, log) : [];
  const reloads = opts.reload ? await runReloads(opts, log) : [];

  const summary = summariseThroughput(runs);
  const r = ratios(runs);
  const t = targets(summary, r, reloads);
  const errors = [...runs, ...reloads]
    .filter((x) => 'error' in x)
    .map((x) => {
      const e = /** @type {{ error: string, round: number, id?: string, mode?: string, client?: string }} */ (x);
      return `${e.id ?? `reload ${e.mode} ${e.client}`} (round ${e.round}): ${e.error.split('\n')[0]}`;
    });
  const elapsedS = (performance.now() - started) / 1000;
  const loadAverageAtEnd = loadavg().map((l) => Math.round(l * 100) / 100);
  const out = resolve(import.meta.dirname, opts.out);
  mkdirSync(out, { recursive: true });
  const data = { machine, options: opts, summary, ratios: r, reloads, targets: t, loadAverageAtEnd, elapsedS, errors };
  writeFileSync(join(out, 'latest.json'), `${JSON.stringify({ ...data, runs }, null, 2)}\n`);
  writeFileSync(join(out, 'latest.md'), renderMarkdown(data));

  log('');
  for (const x of t) log(`${x.pass === null ? 'N/A ' : x.pass ? 'PASS' : 'FAIL'}  ${x.name} (${x.detail})`);
  log(
    `\nwrote ${join(out, 'latest.json')} and latest.md in ${Math.round(elapsedS)} s${errors.length ? `; ${errors.length} run(s) failed` : ''}`,
  );
  return errors.length > 0 ? 1 : 0;
}

/**
 * `--scenario spread`: connection spread and the balance's cost; writes `latest.json` and `latest.md` in its
 * own directory and prints the goal's verdict.
 * @param {import('./lib/args.mjs').BenchOptions} opts
 * @param {ReturnType<typeof describeMachine>} machine
 * @param {number} started
 */
async function spreadScenario(opts, machine, started) {
  log(`spread: ${opts.workers} workers, ${opts.held} connections per burst, ${opts.rounds} rounds`);
  const { spread, cost } = await runSpread(opts, log);
  const summary = summariseSpread(spread, cost);
  const errors = [...spread, ...cost]
    .filter((x) => 'error' in x)
    .map((x) => {
      const e = /** @type {import('./lib/spread.mjs').FailedRun} */ (x);
      return `${e.manager}${e.mode ? ` ${e.mode}` : ''} (round ${e.round}): ${e.error.split('\n')[0]}`;
    });
  const elapsedS = (performance.now() - started) / 1000;
  const out = resolve(import.meta.dirname, opts.out);
  mkdirSync(out, { recursive: true });
  const data = { machine, options: opts, summary, elapsedS, errors };
  writeFileSync(join(out, 'latest.json'), `${JSON.stringify({ ...data, spread, cost }, null, 2)}\n`);
  writeFileSync(join(out, 'latest.md'), renderSpread(data));
  const g = summary.goal;
  log(`\n${g.pass === null ? 'N/A ' : g.pass ? 'PASS' : 'FAIL'}  ${g.name} (${g.detail})`);
  for (const c of summary.cost)
    log(`cost ${c.mode}: fair-share ÷ off = ${Number.isFinite(c.onOverOff) ? c.onOverOff.toFixed(3) : '-'} req/s`);
  log(`wrote ${join(out, 'latest.json')} and latest.md in ${Math.round(elapsedS)} s`);
  return errors.length > 0 || g.pass === false ? 1 : 0;
}

for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(sig, () => {
    killLive();
    process.exit(130);
  });
}
process.exitCode = await main();
