/** The human-readable forms of `tgun ctl`'s replies: the status summary, the worker table, the settings table. */
import type { ArbiterInfo, Queued, QueuedData, ScaleData, StatusData } from '../../control/commands.js';
import type { ConfigEntry } from '../../control/handler.js';
import type { WorkerInfo } from '../../control/stats.js';
import {
  type Column,
  formatAgo,
  formatBytes,
  formatCount,
  formatDuration,
  formatPercent,
  renderTable,
} from './table.js';

/** The worker table's columns; `drop` says which go first on a narrow terminal (`top`). */
export const WORKER_COLUMNS: readonly Column<WorkerInfo>[] = [
  { header: 'PID', align: 'right', cell: (w) => String(w.pid) },
  { header: 'ID', align: 'right', drop: 3, cell: (w) => String(w.id) },
  { header: 'STATE', cell: (w) => w.state },
  { header: 'GEN', align: 'right', drop: 4, cell: (w) => String(w.generation) },
  { header: 'UPTIME', align: 'right', drop: 2, cell: (w) => formatDuration(w.uptime) },
  { header: 'REQUESTS', align: 'right', cell: (w) => String(w.requests) },
  { header: 'IN-FLIGHT', align: 'right', drop: 1, cell: (w) => formatCount(w.inFlight) },
  { header: 'RSS', align: 'right', cell: (w) => formatBytes(w.rss) },
  { header: 'CPU', align: 'right', cell: (w) => formatPercent(w.cpu) },
  { header: 'HEARTBEAT', align: 'right', drop: 2, cell: (w) => formatAgo(w.heartbeat) },
  { header: 'RESTARTS', align: 'right', drop: 3, cell: (w) => String(w.restarts) },
];

/** `tgun ctl workers`. */
export function renderWorkers(workers: readonly WorkerInfo[]): string {
  if (workers.length === 0) return 'no workers\n';
  return `${renderTable(WORKER_COLUMNS, workers).join('\n')}\n`;
}

/** The USR2 state in words, or null when there is nothing to say. */
function upgradeNote(a: ArbiterInfo): string | null {
  if (a.parentMaster !== null) return `new master (USR2), old master ${a.parentMaster} still running`;
  if (a.reexecChild !== null) return `old master: new master ${a.reexecChild} started by USR2`;
  return null;
}

/** The summary lines of `tgun ctl status` (also `top`'s header). */
export function statusLines(a: ArbiterInfo): Array<[string, string]> {
  const lines: Array<[string, string]> = [
    ['arbiter', `pid ${a.pid}, tgun ${a.version}`],
    ['name', a.name],
    ['uptime', formatDuration(a.uptime)],
    ['listening', a.binds.length > 0 ? a.binds.join(', ') : '-'],
    ['config', a.configFile ?? '(none)'],
    ['workers', `${a.workers.alive} alive, ${a.workers.wanted} wanted`],
    ['memory', `${formatBytes(a.rss)} RSS, ${formatPercent(a.cpu)} CPU`],
    ['socket', a.socket],
  ];
  const note = upgradeNote(a);
  if (note) lines.push(['upgrade', note]);
  return lines;
}

/** `tgun ctl status`: the summary, then the worker table. */
export function renderStatus(data: StatusData): string {
  const lines = statusLines(data.arbiter);
  const width = Math.max(...lines.map(([k]) => k.length));
  const head = lines.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
  return `${head}\n\n${renderWorkers(data.workers)}`;
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null');
}

/** `tgun ctl config`: `name  value  source`, aligned. */
export function renderConfig(entries: readonly ConfigEntry[]): string {
  const columns: Column<ConfigEntry>[] = [
    { header: 'SETTING', cell: (e) => e.name },
    { header: 'VALUE', cell: (e) => show(e.value) },
    { header: 'SOURCE', cell: (e) => e.source },
  ];
  return `${renderTable(columns, entries).join('\n')}\n`;
}

const SIGNAL_NAMES: Readonly<Record<Queued['command'], string>> = {
  hup: 'HUP',
  'rolling-reload': 'rolling reload',
  ttin: 'TTIN',
  ttou: 'TTOU',
  term: 'TERM',
  int: 'INT',
  usr1: 'USR1',
};

function queuedText(queued: readonly Queued[]): string {
  if (queued.length === 0) return 'nothing to do';
  return queued.map((q) => `${q.count > 1 ? `${q.count}× ` : ''}${SIGNAL_NAMES[q.command]}`).join(', ');
}

/** What an action command prints once the arbiter has queued it. */
export function renderQueued(command: 'reload' | 'stop' | 'reopen-logs', data: QueuedData, rolling: boolean): string {
  const what = queuedText(data.queued);
  switch (command) {
    case 'reload':
      return rolling
        ? `queued a rolling reload: workers are replaced one at a time; follow with \`tgun ctl workers\`\n`
        : `queued ${what}: new workers start, then the old ones drain; follow with \`tgun ctl workers\`\n`;
    case 'stop':
      return `queued ${what}: the arbiter is stopping\n`;
    case 'reopen-logs':
      return `queued ${what}: the arbiter and its workers reopen their log files\n`;
  }
}

/** What `scale` prints. */
export function renderScale(data: ScaleData): string {
  if (data.queued.length === 0) return `already at ${data.to} worker(s)\n`;
  return `scaling ${data.from} → ${data.to} worker(s): queued ${queuedText(data.queued)}\n`;
}
