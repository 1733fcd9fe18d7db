/** The Markdown report (bench/results/latest.md): machine, method, tables, targets, cleanup. */
import { nodeLinesSection, statsSection } from './report-compare.mjs';
import { fmt, kilo, median } from './stats.mjs';

/**
 * @typedef {ReturnType<typeof import('./summary.mjs').summariseThroughput>} Summary
 * @typedef {ReturnType<typeof import('./summary.mjs').ratios>} Ratios
 * @typedef {import('./summary.mjs').Target} Target
 * @typedef {import('./summary.mjs').ReloadRun} ReloadRun
 */

/** @param {Target} t */
const verdict = (t) => (t.pass === null ? 'not measured' : t.pass ? 'PASS' : 'FAIL');

/**
 * @param {{ machine: ReturnType<typeof import('./machine.mjs').describeMachine>, options: import('./args.mjs').BenchOptions,
 *   summary: Summary, ratios: Ratios, reloads: readonly object[], targets: Target[], loadAverageAtEnd: number[],
 *   elapsedS: number, errors: string[] }} data
 */
export function renderMarkdown(data) {
  const { machine: m, options: o, summary, ratios, targets } = data;
  const lines = [];
  const v = m.versions;
  lines.push(`# tgun bench — ${m.date.slice(0, 10)}`, '');
  lines.push(
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB, ${m.os}; managers on Node ${o.nodeLines.map((l) => l.version).join(' and ')} (the bench itself on ${m.node}); load average ` +
      `${m.loadAverageAtStart.join(' / ')} at the start, ${data.loadAverageAtEnd.join(' / ')} at the end ` +
      `(${Math.round(data.elapsedS)} s run).`,
  );
  lines.push(
    `Software: tgun ${v.tgun}, PM2 ${v.pm2}, Express ${v.express}, Koa ${v.koa}, Fastify ${v.fastify}, wrk ${v.wrk}, autocannon ${v.autocannon}.`,
  );
  lines.push(
    `Method: ${o.workers} workers everywhere; \`wrk -t1 -c${o.connections} -d${o.durationS}s\` pinned with taskset to the last CPU, ` +
      `after a ${o.warmupS} s warm-up; ${o.rounds} interleaved round(s); medians; ratios are medians of same-round ratios.`,
    '',
  );

  lines.push('## Throughput and latency', '');
  lines.push(
    '| app | manager | req/s | per round | vs cluster-none | vs pm2 | vs single | p50 ms | p99 ms | errors | server CPU % (master) |',
  );
  lines.push('|---|---|--:|---|--:|--:|--:|--:|--:|--:|--:|');
  const primary = summary.filter((x) => x.variant === 'default' && x.primaryLine);
  for (const s of primary) {
    const row = ratios.matrix[s.app]?.[s.manager] ?? {};
    const r = (/** @type {string} */ b) => (b === s.manager ? '1.00' : fmt(row[b] ?? Number.NaN, 2));
    lines.push(
      `| ${s.app} | ${s.manager} | ${fmt(s.rps)} | ${s.rpsPerRound.map(kilo).join(' / ')} | ${r('cluster-none')} | ${r('pm2')} | ` +
        `${r('single')} | ${fmt(s.p50, 2)} | ${fmt(s.p99, 2)} | ${s.errors} | ${fmt(s.cpu)} (${fmt(s.masterCpu)}) |`,
    );
  }
  lines.push('');

  lines.push('## Each manager against the others (req/s, median of same-round ratios; row ÷ column)', '');
  for (const [app, matrix] of Object.entries(ratios.matrix)) {
    const names = Object.keys(matrix);
    if (names.length < 2) continue;
    lines.push(`**${app}**`, '', `| ÷ | ${names.join(' | ')} |`, `|---|${names.map(() => '--:').join('|')}|`);
    for (const a of names)
      lines.push(
        `| ${a} | ${names.map((b) => (a === b ? '1.00' : fmt(matrix[a]?.[b] ?? Number.NaN, 2))).join(' | ')} |`,
      );
    lines.push('');
  }

  lines.push(...statsSection(summary, ratios), ...nodeLinesSection(summary, ratios, o.nodeLines));

  const extras = summary.filter((x) => x.variant !== 'default');
  if (extras.length > 0) {
    lines.push('## tgun: access log on vs off, unix socket vs TCP', '');
    lines.push(
      'wrk cannot reach unix sockets, so the unix run and the TCP run it is compared with both use autocannon (pinned the same way).',
      '',
    );
    lines.push('| app | configuration | req/s | p50 ms | p99 ms | errors | ratio |', '|---|---|--:|--:|--:|--:|--:|');
    for (const s of extras) {
      const ex = ratios.extras[s.app];
      const ratio =
        s.variant === 'access-log'
          ? `${fmt(ex?.accessLog ?? Number.NaN, 2)} of log off`
          : s.variant === 'unix'
            ? `${fmt(ex?.unix ?? Number.NaN, 2)} of TCP`
            : '';
      lines.push(
        `| ${s.app} | ${s.label} | ${fmt(s.rps)} | ${fmt(s.p50, 2)} | ${fmt(s.p99, 2)} | ${s.errors} | ${ratio} |`,
      );
    }
    lines.push('');
  }

  lines.push('## Distribution, memory, startup (medians)', '');
  lines.push(
    `c1/c16: ${o.samples} requests on fresh connections to \`/pid\`, 1 or 16 at a time; the busiest worker's share (${fmt(1 / o.workers, 2)} is even). Keep-alive split: wrk's connections per process mid-run (\`ss -tnp\`), one entry per round. RSS after the load (idle after start in parentheses).`,
    '',
  );
  lines.push(
    '| app | manager | c1 max share | c16 max share | keep-alive split | master RSS MB | workers RSS MB (sum) | each worker MB (round 1) | startup ms | all workers ms |',
  );
  lines.push('|---|---|--:|--:|---|--:|--:|---|--:|--:|');
  for (const s of primary) {
    lines.push(
      `| ${s.app} | ${s.manager} | ${fmt(s.c1MaxShare, 2)} | ${fmt(s.c16MaxShare, 2)} | ${s.splits.join(', ')} | ${fmt(s.masterMb)} (${fmt(s.masterMbIdle)}) | ` +
        `${fmt(s.workersMb)} (${fmt(s.workersMbIdle)}) | ${(s.perWorkerMb[0] ?? []).join(' + ') || '-'} | ${fmt(s.startupMs)} | ${fmt(s.allWorkersMs)} |`,
    );
  }
  lines.push('');

  if (data.reloads.length > 0) lines.push(...reloadTable(data.reloads, o), '');

  lines.push('## Targets', '', '| target | result | measured |', '|---|---|---|');
  for (const t of targets) lines.push(`| ${t.name} | ${verdict(t)} | ${t.detail} |`);
  lines.push('');

  const runs = summary.reduce((n, s) => n + s.runs, 0);
  const leftovers = summary.reduce((n, s) => n + s.leftovers, 0);
  const busy = summary.reduce((n, s) => n + s.busyPorts, 0);
  const sockets = summary.reduce((n, s) => n + s.socketFilesLeft, 0);
  lines.push(
    '## Cleanup',
    '',
    `${runs} throughput runs and ${data.reloads.length} reload runs; processes left after the graceful stop (then SIGKILLed by pid): ${leftovers + reloadLeftovers(data.reloads)}; ports still busy: ${busy}; unix socket files left: ${sockets}.`,
  );
  if (data.errors.length > 0) lines.push('', '**Runs that failed:**', '', ...data.errors.map((e) => `- ${e}`));
  const served = summary
    .filter((s) => s.manager === 'tgun' && s.variant === 'default')
    .map((s) => `${s.app}: \`${s.served}\``);
  if (served.length > 0)
    lines.push(
      '',
      `tgun served each app's export: ${served.join(', ')} (\`listener\` = the plain request listener, used where tgun could not load \`app\` itself).`,
    );
  return `${lines.join('\n')}\n`;
}

/** @param {readonly object[]} reloads */
function reloadLeftovers(reloads) {
  return reloads.reduce(
    (n, r) =>
      n + ('cleanup' in r ? /** @type {{ cleanup: { leftovers: number[] } }} */ (r).cleanup.leftovers.length : 0),
    0,
  );
}

/**
 * @param {readonly object[]} reloads
 * @param {import('./args.mjs').BenchOptions} o
 */
function reloadTable(reloads, o) {
  const out = ['## Reload under load', ''];
  out.push(
    `Raw app, ${o.workers} workers, one reload about ${fmt(Math.min(2, o.reloadDurationS / 3), 1)} s into a ${o.reloadDurationS} s \`wrk -c${o.connections}\` run. Failed = socket errors + non-2xx; spike = the run's max latency. One entry per round.`,
    '',
  );
  out.push(
    '| reload | client | failed per round | reload ms | p99 ms | spike (max) ms | req/s | old workers answered after | leftovers |',
  );
  out.push('|---|---|---|--:|--:|--:|--:|--:|--:|');
  /** @type {Map<string, Array<ReloadRun | { error: string }>>} */
  const groups = new Map();
  for (const r of reloads) {
    const x = /** @type {{ label: string, client: string }} */ (r);
    const key = `${x.label}|${x.client}`;
    groups.set(key, [...(groups.get(key) ?? []), /** @type {ReloadRun | { error: string }} */ (r)]);
  }
  for (const [key, rs] of groups) {
    const [label, client] = key.split('|');
    const good = /** @type {ReloadRun[]} */ (rs.filter((r) => !('error' in r)));
    const med = (/** @type {(r: ReloadRun) => number} */ f) => median(good.map(f));
    const failed = rs
      .map((r) => ('error' in r ? 'error' : String(/** @type {ReloadRun} */ (r).load.errors)))
      .join(' / ');
    out.push(
      `| ${label} | ${client} | ${failed} | ${fmt(med((r) => r.reloadMs))} | ${fmt(
        med((r) => r.load.p99),
        2,
      )} | ${fmt(
        med((r) => r.load.max),
        1,
      )} | ` +
        `${fmt(med((r) => r.load.rps))} | ${good.reduce((n, r) => n + r.oldAnswered, 0)} | ${good.reduce((n, r) => n + r.cleanup.leftovers.length, 0)} |`,
    );
  }
  return out;
}
