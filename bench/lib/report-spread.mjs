/**
 * The spread scenario's summary and Markdown (bench/results/spread/latest.md): the per-worker split of each
 * burst, its max/mean ratio, the goal for `--connection-balance fair-share` (max/mean ≤ 1.25 in every round),
 * and the mechanism's cost on short-request throughput.
 */
import { COST_MANAGERS, COST_MODES, SPREAD_MANAGERS } from './spread.mjs';
import { fmt, kilo, median, sameRoundRatio } from './stats.mjs';

/** The goal for tgun with the mechanism on, checked in every round. */
export const SPREAD_GOAL = 1.25;

/**
 * @typedef {import('./spread.mjs').SpreadRun} SpreadRun
 * @typedef {import('./spread.mjs').CostRun} CostRun
 * @typedef {import('./spread.mjs').FailedRun} FailedRun
 */

/**
 * @param {ReadonlyArray<SpreadRun | FailedRun>} spread
 * @param {ReadonlyArray<CostRun | FailedRun>} cost
 */
export function summariseSpread(spread, cost) {
  const ok = /** @type {SpreadRun[]} */ (spread.filter((r) => !('error' in r)));
  const managers = SPREAD_MANAGERS.map((manager) => {
    const runs = ok.filter((r) => r.manager === manager);
    const ratios = runs.map((r) => r.ratio);
    return {
      manager,
      rounds: runs.length,
      splits: runs.map((r) => r.byAnswer.join('/')),
      ssSplits: runs.map((r) => r.bySs.join('/')),
      medianRatio: median(ratios),
      worstRatio: ratios.length ? Math.max(...ratios) : Number.NaN,
      medianBurstMs: median(runs.map((r) => r.burstMs)),
      unanswered: runs.reduce((n, r) => n + (r.held - r.answered), 0),
    };
  });
  const on = managers.find((m) => m.manager === 'tgun-balance-on');
  const goal = {
    name: `tgun --connection-balance fair-share: max/mean ≤ ${SPREAD_GOAL} in every round`,
    pass: on && on.rounds > 0 ? on.worstRatio <= SPREAD_GOAL && on.unanswered === 0 : null,
    detail: on ? `worst ${fmt(on.worstRatio, 2)} over ${on.rounds} round(s)` : 'not run',
  };
  const okCost = /** @type {CostRun[]} */ (cost.filter((r) => !('error' in r)));
  const costRows = COST_MODES.map((mode) => {
    const of = (/** @type {string} */ m) => okCost.filter((r) => r.mode === mode && r.manager === m);
    const [off, onName] = COST_MANAGERS;
    const offRuns = of(off ?? '');
    const onRuns = of(onName ?? '');
    return {
      mode,
      offRps: median(offRuns.map((r) => r.rps)),
      onRps: median(onRuns.map((r) => r.rps)),
      offPerRound: offRuns.map((r) => r.rps),
      onPerRound: onRuns.map((r) => r.rps),
      onOverOff: sameRoundRatio(onRuns, offRuns, (r) => r.rps),
      offP99: median(offRuns.map((r) => r.p99)),
      onP99: median(onRuns.map((r) => r.p99)),
      errors: [...offRuns, ...onRuns].reduce((n, r) => n + r.errors, 0),
    };
  });
  return { managers, goal, cost: costRows };
}

/**
 * @param {{ machine: ReturnType<typeof import('./machine.mjs').describeMachine>, options: import('./args.mjs').BenchOptions,
 *   summary: ReturnType<typeof summariseSpread>, elapsedS: number, errors: string[] }} data
 */
export function renderSpread(data) {
  const { machine: m, options: o, summary } = data;
  const lines = [`# tgun bench, connection spread — ${m.date.slice(0, 10)}`, ''];
  lines.push(
    `Machine: ${m.cpuModel}, ${m.cores} cores, Node ${o.nodeLines[0]?.version ?? m.node}; ${Math.round(data.elapsedS)} s run.`,
    `Method: ${o.workers} workers, raw app; ${o.held} keep-alive connections opened in one burst, each sending \`GET /pid\` ` +
      `and held; counted per worker by the pid each answered with (and by \`ss -tnp\`); ${o.rounds} round(s). ` +
      `Throughput: \`wrk -t1 -c${o.connections} -d${o.durationS}s\`, raw app, same-round ratios.`,
    '',
    '| manager | split per round (by answer) | by `ss -tnp` | max/mean (median) | max/mean (worst) | burst answered in (ms, median) |',
    '|---|---|---|--:|--:|--:|',
  );
  for (const s of summary.managers) {
    lines.push(
      `| ${s.manager} | ${s.splits.join(', ')} | ${s.ssSplits.join(', ')} | ${fmt(s.medianRatio, 2)} | ` +
        `${fmt(s.worstRatio, 2)} | ${fmt(s.medianBurstMs)} |`,
    );
  }
  const g = summary.goal;
  lines.push('', `${g.pass === null ? 'NOT MEASURED' : g.pass ? 'PASS' : 'FAIL'}: ${g.name} (${g.detail}).`, '');
  if (summary.cost.some((c) => Number.isFinite(c.offRps))) {
    lines.push(
      '| requests | off req/s | fair-share req/s | per round (off / on) | on ÷ off | p99 ms (off / on) | errors |',
    );
    lines.push('|---|--:|--:|---|--:|---|--:|');
    for (const c of summary.cost) {
      const rounds = c.offPerRound.map((v, i) => `${kilo(v)} / ${kilo(c.onPerRound[i] ?? Number.NaN)}`).join(', ');
      lines.push(
        `| ${c.mode === 'close' ? '`Connection: close`' : 'keep-alive'} | ${fmt(c.offRps)} | ${fmt(c.onRps)} | ${rounds} | ` +
          `${fmt(c.onOverOff, 3)} | ${fmt(c.offP99, 2)} / ${fmt(c.onP99, 2)} | ${c.errors} |`,
      );
    }
    lines.push('');
  }
  if (data.errors.length) lines.push('Failed runs:', '', ...data.errors.map((e) => `- ${e}`), '');
  return `${lines.join('\n')}\n`;
}
