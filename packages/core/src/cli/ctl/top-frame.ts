/**
 * One frame of `tgun ctl top`, as plain lines fitted to a terminal size: a header, the arbiter's own line, then one
 * row per worker with its request rate computed from the previous frame. Pure, so the terminal handling in
 * `top.ts` stays small.
 */
import type { StatusData } from '../../control/commands.js';
import type { WorkerInfo } from '../../control/stats.js';
import { WORKER_COLUMNS } from './render.js';
import { type Column, cut, fitTable, formatBytes, formatDuration, formatPercent } from './table.js';

/** Request counters seen in the previous frame, by worker pid. */
export type RateMemory = Map<number, { readonly requests: number; readonly at: number }>;

interface TopRow {
  readonly w: WorkerInfo;
  readonly rate: number | null;
}

function formatRate(rate: number | null): string {
  if (rate === null) return '-';
  return rate >= 100 ? rate.toFixed(0) : rate.toFixed(1);
}

const ROW_COLUMNS: readonly Column<TopRow>[] = (() => {
  const wrap = (c: Column<WorkerInfo>): Column<TopRow> => ({ ...c, cell: (r) => c.cell(r.w) });
  const base = WORKER_COLUMNS.map(wrap);
  const at = base.findIndex((c) => c.header === 'REQUESTS');
  const rate: Column<TopRow> = { header: 'REQ/S', align: 'right', cell: (r) => formatRate(r.rate) };
  return [...base.slice(0, at), rate, ...base.slice(at)];
})();

/**
 * Per-worker request rates since the previous frame; updates `memory` in place (workers that are gone are
 * forgotten). A worker seen for the first time has no rate yet.
 */
export function computeRates(
  workers: readonly WorkerInfo[],
  memory: RateMemory,
  nowMs: number,
): Map<number, number | null> {
  const rates = new Map<number, number | null>();
  const seen = new Set<number>();
  for (const w of workers) {
    seen.add(w.pid);
    const prev = memory.get(w.pid);
    const dt = prev ? (nowMs - prev.at) / 1000 : 0;
    rates.set(w.pid, prev && dt > 0 ? Math.max(0, (w.requests - prev.requests) / dt) : null);
    memory.set(w.pid, { requests: w.requests, at: nowMs });
  }
  for (const pid of memory.keys()) if (!seen.has(pid)) memory.delete(pid);
  return rates;
}

/** Options of {@link topFrame}. */
export interface FrameSize {
  readonly columns: number;
  readonly rows: number;
}

/** The lines of one frame, never wider than `size.columns` nor taller than `size.rows`. */
export function topFrame(
  data: StatusData,
  rates: ReadonlyMap<number, number | null>,
  size: FrameSize,
  clock: string,
  footer: string | null,
): string[] {
  const a = data.arbiter;
  const rows: TopRow[] = data.workers.map((w) => ({ w, rate: rates.get(w.pid) ?? null }));
  const known = rows.filter((r) => r.rate !== null);
  const total = known.length > 0 ? known.reduce((sum, r) => sum + (r.rate ?? 0), 0) : null;
  const head = [
    `tgun top — ${a.name} — ${clock}`,
    `arbiter  pid ${a.pid}  tgun ${a.version}  up ${formatDuration(a.uptime)}  RSS ${formatBytes(a.rss)}  ` +
      `CPU ${formatPercent(a.cpu)}  workers ${a.workers.alive}/${a.workers.wanted}  ${formatRate(total)} req/s`,
    '',
  ].map((l) => cut(l, size.columns));
  const table = fitTable(ROW_COLUMNS, rows, size.columns);
  const tail = footer === null ? [] : ['', cut(footer, size.columns)];
  const room = Math.max(2, size.rows - head.length - tail.length);
  if (table.length > room) {
    const hidden = table.length - (room - 1);
    return [...head, ...table.slice(0, room - 1), cut(`… ${hidden} more worker(s)`, size.columns), ...tail];
  }
  return [...head, ...table, ...tail];
}
