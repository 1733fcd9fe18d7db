/**
 * From raw runs to medians, same-round ratios and the project's targets (stated in bench/README.md and only
 * ever verified here, in the bench's output): tgun ≥ 0.97× node:cluster SCHED_NONE and ≥ PM2 in req/s for
 * every app, p99 no worse than either, 0 failed requests in every tgun reload mode, arbiter RSS < 60 MB.
 */
import { median, sameRoundRatio } from './stats.mjs';

/**
 * @typedef {Awaited<ReturnType<typeof import('./throughput.mjs').runConfig>>} Run
 * @typedef {Awaited<ReturnType<typeof import('./reload.mjs').runReload>>} ReloadRun
 * @typedef {{ name: string, pass: boolean | null, detail: string }} Target
 */

const sum = (/** @type {number[]} */ xs) => xs.reduce((a, b) => a + b, 0);

/**
 * @param {readonly object[]} runs
 * @returns {Run[]}
 */
function ok(runs) {
  return /** @type {Run[]} */ (runs.filter((r) => !('error' in r)));
}

/**
 * Medians per configuration.
 * @param {readonly object[]} all
 */
export function summariseThroughput(all) {
  const runs = ok(all);
  const ids = [...new Set(all.map((r) => /** @type {{ id: string }} */ (r).id))];
  return ids.map((id) => {
    const rs = runs.filter((r) => r.id === id);
    const first =
      /** @type {{ app: string, manager: string, variant: string, label: string, line: string, primaryLine: boolean }} */ (
        all.find((r) => /** @type {{ id: string }} */ (r).id === id)
      );
    return {
      id,
      app: first.app,
      manager: first.manager,
      variant: first.variant,
      label: first.label,
      line: first.line,
      primaryLine: first.primaryLine,
      runs: rs.length,
      failedRuns: all.filter((r) => /** @type {{ id: string }} */ (r).id === id && 'error' in r).length,
      rps: median(rs.map((r) => r.load.rps)),
      rpsPerRound: rs.map((r) => r.load.rps),
      p50: median(rs.map((r) => r.load.p50)),
      p99: median(rs.map((r) => r.load.p99)),
      errors: sum(rs.map((r) => r.load.errors)),
      cpu: median(rs.map((r) => r.cpu.all)),
      masterCpu: median(rs.map((r) => r.cpu.master)),
      startupMs: median(rs.map((r) => r.startupMs ?? Number.NaN)),
      allWorkersMs: median(rs.map((r) => r.allWorkersMs ?? Number.NaN)),
      masterMbIdle: median(rs.map((r) => r.idle.masterMb)),
      workersMbIdle: median(rs.map((r) => sum(r.idle.workersMb))),
      masterMb: median(rs.map((r) => r.loaded.masterMb)),
      masterMbMax: Math.max(0, ...rs.map((r) => r.loaded.masterMb)),
      workersMb: median(rs.map((r) => sum(r.loaded.workersMb))),
      perWorkerMb: rs.map((r) => r.loaded.workersMb.map((/** @type {number} */ m) => Math.round(m))),
      c1MaxShare: median(rs.map((r) => r.c1.maxShare)),
      c16MaxShare: median(rs.map((r) => r.c16.maxShare)),
      splits: rs.map((r) => r.split),
      served: rs[0]?.served ?? '',
      leftovers: sum(rs.map((r) => r.cleanup.leftovers.length)),
      busyPorts: rs.filter((r) => !r.cleanup.portFree).length,
      socketFilesLeft: rs.filter((r) => r.cleanup.socketFileLeft).length,
    };
  });
}

/**
 * Same-round req/s ratios between the default-variant managers of each app on the primary Node line:
 * `ratios[app][a][b]` = a ÷ b. Also tgun's access log (on ÷ off), unix socket (unix ÷ TCP, both with
 * autocannon) and statistics (on ÷ off, req/s and p99); and per further Node line, each manager's req/s and
 * p99 there ÷ on the primary line (`lines[app][manager][line]`).
 * @param {readonly object[]} all
 */
export function ratios(all) {
  const runs = ok(all);
  /** @type {Record<string, Record<string, Record<string, number>>>} */
  const matrix = {};
  /** @type {Record<string, { accessLog: number, unix: number, statsRps: number, statsP99: number }>} */
  const extras = {};
  /** @type {Record<string, Record<string, Record<string, { rps: number, p99: number }>>>} */
  const lines = {};
  const rps = (/** @type {Run} */ r) => r.load.rps;
  const p99 = (/** @type {Run} */ r) => r.load.p99;
  const byId = (/** @type {string} */ id) => runs.filter((r) => r.id === id);
  for (const app of new Set(runs.map((r) => r.app))) {
    const defaults = runs.filter((r) => r.app === app && r.variant === 'default');
    const managers = [...new Set(defaults.filter((r) => r.primaryLine).map((r) => r.manager))];
    lines[app] = {};
    for (const m of managers) {
      /** @type {Record<string, { rps: number, p99: number }>} */
      const row = {};
      for (const line of new Set(defaults.filter((r) => r.manager === m && !r.primaryLine).map((r) => r.line))) {
        const there = byId(`${app}/${m} @${line}`);
        const here = byId(`${app}/${m}`);
        row[line] = { rps: sameRoundRatio(there, here, rps), p99: sameRoundRatio(there, here, p99) };
      }
      /** @type {Record<string, Record<string, { rps: number, p99: number }>>} */ (lines[app])[m] = row;
    }
    matrix[app] = {};
    for (const a of managers) {
      const row = /** @type {Record<string, number>} */ ({});
      for (const b of managers) if (a !== b) row[b] = sameRoundRatio(byId(`${app}/${a}`), byId(`${app}/${b}`), rps);
      /** @type {Record<string, Record<string, number>>} */ (matrix[app])[a] = row;
    }
    extras[app] = {
      accessLog: sameRoundRatio(byId(`${app}/tgun +access-log`), byId(`${app}/tgun`), rps),
      unix: sameRoundRatio(byId(`${app}/tgun unix (autocannon)`), byId(`${app}/tgun tcp (autocannon)`), rps),
      statsRps: sameRoundRatio(byId(`${app}/tgun`), byId(`${app}/tgun-nostats`), rps),
      statsP99: sameRoundRatio(byId(`${app}/tgun`), byId(`${app}/tgun-nostats`), p99),
    };
  }
  return { matrix, extras, lines };
}

/**
 * The project's targets, each PASS, FAIL or not measured (null) in this run.
 * @param {ReturnType<typeof summariseThroughput>} summary
 * @param {ReturnType<typeof ratios>} r
 * @param {readonly object[]} reloadRuns
 * @returns {Target[]}
 */
export function targets(summary, r, reloadRuns) {
  /** @type {Target[]} */
  const out = [];
  const get = (/** @type {string} */ app, /** @type {string} */ m) =>
    summary.find((s) => s.app === app && s.manager === m && s.variant === 'default' && s.primaryLine);
  for (const app of Object.keys(r.matrix)) {
    const row = r.matrix[app]?.tgun;
    const vsNone = row?.['cluster-none'];
    const vsPm2 = row?.pm2;
    out.push({
      name: `${app}: tgun req/s ≥ 0.97× cluster SCHED_NONE`,
      pass: vsNone === undefined || Number.isNaN(vsNone) ? null : vsNone >= 0.97,
      detail: vsNone === undefined ? 'not measured' : `${vsNone.toFixed(3)}×`,
    });
    out.push({
      name: `${app}: tgun req/s ≥ PM2`,
      pass: vsPm2 === undefined || Number.isNaN(vsPm2) ? null : vsPm2 >= 1,
      detail: vsPm2 === undefined ? 'not measured' : `${vsPm2.toFixed(3)}×`,
    });
    const t = get(app, 'tgun');
    const peers = ['cluster-none', 'pm2'].map((m) => get(app, m)).filter((s) => s !== undefined);
    if (t && peers.length > 0) {
      const worst = Math.min(...peers.map((s) => s.p99));
      out.push({
        name: `${app}: tgun p99 no worse than cluster SCHED_NONE and PM2`,
        pass: t.p99 <= worst,
        detail: `tgun ${t.p99.toFixed(2)} ms; ${peers.map((s) => `${s.manager} ${s.p99.toFixed(2)} ms`).join(', ')}`,
      });
    }
  }
  const tgunReloads = reloadRuns.filter((x) => /** @type {{ manager: string }} */ (x).manager === 'tgun');
  if (tgunReloads.length > 0) {
    const errored = tgunReloads.filter((x) => 'error' in x).length;
    const failed = sum(
      /** @type {ReloadRun[]} */ (tgunReloads.filter((x) => !('error' in x))).map((x) => x.load.errors),
    );
    out.push({
      name: '0 failed requests across every tgun reload mode',
      pass: failed === 0 && errored === 0,
      detail: `${failed} failed over ${tgunReloads.length} reloads${errored ? `, ${errored} reload runs errored` : ''}`,
    });
  }
  const arbiter = summary.filter((s) => s.manager === 'tgun' && s.runs > 0);
  if (arbiter.length > 0) {
    const worst = arbiter.reduce((a, b) => (b.masterMbMax > a.masterMbMax ? b : a));
    out.push({
      name: 'tgun arbiter RSS < 60 MB',
      pass: worst.masterMbMax < 60,
      detail: `highest after load: ${worst.masterMbMax.toFixed(1)} MB (${worst.id})`,
    });
  }
  return out;
}
