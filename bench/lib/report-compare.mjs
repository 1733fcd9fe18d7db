/**
 * Two sections of the Markdown report that compare tgun with itself: statistics on against off (the cost of
 * the worker statistics on the request path), and each manager on every `--node` line against the primary.
 */
import { fmt, kilo } from './stats.mjs';

/**
 * @typedef {ReturnType<typeof import('./summary.mjs').summariseThroughput>} Summary
 * @typedef {ReturnType<typeof import('./summary.mjs').ratios>} Ratios
 */

/**
 * tgun against tgun-nostats, per app on the primary line; empty when either was not run.
 * @param {Summary} summary
 * @param {Ratios} ratios
 * @returns {string[]}
 */
export function statsSection(summary, ratios) {
  const out = [];
  for (const app of Object.keys(ratios.matrix)) {
    const find = (/** @type {string} */ m) =>
      summary.find((s) => s.app === app && s.manager === m && s.variant === 'default' && s.primaryLine);
    const on = find('tgun');
    const off = find('tgun-nostats');
    if (!on || !off) continue;
    const ex = ratios.extras[app];
    out.push(
      `| ${app} | ${fmt(on.rps)} | ${fmt(off.rps)} | ${fmt(ex?.statsRps ?? Number.NaN, 3)} | ` +
        `${fmt(on.p99, 2)} | ${fmt(off.p99, 2)} | ${fmt(ex?.statsP99 ?? Number.NaN, 3)} | ${on.rpsPerRound.map(kilo).join(' / ')} | ${off.rpsPerRound.map(kilo).join(' / ')} |`,
    );
  }
  if (out.length === 0) return [];
  return [
    '## tgun: worker statistics on vs off',
    '',
    '`tgun-nostats` is tgun with the bench-only `TGUN_BENCH_NO_STATS=1`: no Prometheus totals per request and no ' +
      'process sample on the heartbeat. Ratios are medians of same-round ratios (on ÷ off); 1.000 is no cost.',
    '',
    '| app | req/s on | req/s off | req/s on ÷ off | p99 ms on | p99 ms off | p99 on ÷ off | on, per round | off, per round |',
    '|---|--:|--:|--:|--:|--:|--:|---|---|',
    ...out,
    '',
  ];
}

/**
 * Each manager's req/s and p99 on every Node line, primary first, with the same-round ratios to the primary
 * line; empty with one line.
 * @param {Summary} summary
 * @param {Ratios} ratios
 * @param {readonly import('./node-lines.mjs').NodeLine[]} nodeLines
 * @returns {string[]}
 */
export function nodeLinesSection(summary, ratios, nodeLines) {
  const [primary, ...others] = nodeLines;
  if (!primary || others.length === 0) return [];
  const head = [`${primary.label} req/s`, `${primary.label} p99 ms`];
  for (const l of others)
    head.push(
      `${l.label} req/s`,
      `${l.label} p99 ms`,
      `req/s ${l.label} ÷ ${primary.label}`,
      `p99 ${l.label} ÷ ${primary.label}`,
    );
  const out = [
    '## Node lines side by side',
    '',
    `Each manager on ${nodeLines.map((l) => `${l.label} (${l.version})`).join(', ')}, the runs of each line ` +
      'interleaved in the same rounds. Ratios are medians of same-round ratios against the first line.',
    '',
    `| app | manager | ${head.join(' | ')} |`,
    `|---|---|${head.map(() => '--:').join('|')}|`,
  ];
  for (const s of summary.filter((x) => x.variant === 'default' && x.primaryLine)) {
    const cells = [fmt(s.rps), fmt(s.p99, 2)];
    for (const l of others) {
      const there = summary.find(
        (x) => x.app === s.app && x.manager === s.manager && x.variant === 'default' && x.line === l.label,
      );
      const r = ratios.lines[s.app]?.[s.manager]?.[l.label];
      cells.push(
        fmt(there?.rps ?? Number.NaN),
        fmt(there?.p99 ?? Number.NaN, 2),
        fmt(r?.rps ?? Number.NaN, 3),
        fmt(r?.p99 ?? Number.NaN, 3),
      );
    }
    out.push(`| ${s.app} | ${s.manager} | ${cells.join(' | ')} |`);
  }
  out.push('');
  return out;
}
