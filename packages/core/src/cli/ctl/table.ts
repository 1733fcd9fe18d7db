/** Aligned plain-text tables and the unit formats `tgun ctl` prints (sizes, durations, percentages). */

/** A column: its header, alignment, and priority when the terminal is too narrow (higher is dropped first). */
export interface Column<Row> {
  readonly header: string;
  readonly align?: 'left' | 'right';
  /** 0 (never dropped) by default. */
  readonly drop?: number;
  cell(row: Row): string;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  return align === 'right' ? text.padStart(width) : text.padEnd(width);
}

/** Renders `rows` as aligned lines (header first), two spaces between columns, no trailing blanks. */
export function renderTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string[] {
  const cells = rows.map((r) => columns.map((c) => c.cell(r)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (texts: readonly string[]) =>
    texts
      .map((t, i) => pad(t, widths[i] ?? 0, columns[i]?.align ?? 'left'))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)];
}

/**
 * Renders the table within `width` characters: drops the lowest-priority columns first, then cuts lines that
 * are still too long, so a narrow terminal never wraps.
 */
export function fitTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[], width: number): string[] {
  let kept = [...columns];
  let lines = renderTable(kept, rows);
  while (lines.some((l) => l.length > width) && kept.some((c) => (c.drop ?? 0) > 0)) {
    const worst = Math.max(...kept.map((c) => c.drop ?? 0));
    kept = kept.filter((c) => (c.drop ?? 0) !== worst);
    lines = renderTable(kept, rows);
  }
  return lines.map((l) => cut(l, width));
}

/** `text` cut to `width` characters. */
export function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/** Bytes in binary units: `512B`, `48.2M`, `1.5G`; `-` for unknown. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '-';
  const units = ['B', 'K', 'M', 'G', 'T'];
  let n = bytes;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return u === 0 ? `${n}B` : `${n.toFixed(1)}${units[u]}`;
}

/** A duration in seconds, two units at most: `42s`, `5m03s`, `2h07m`, `3d04h`; `-` for unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '-';
  const s = Math.max(0, Math.floor(seconds));
  const two = (n: number) => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${two(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${two(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86400)}d${two(Math.floor((s % 86400) / 3600))}h`;
}

/** A percentage with one decimal, `-` for unknown. */
export function formatPercent(p: number | null | undefined): string {
  return p === null || p === undefined ? '-' : `${p.toFixed(1)}%`;
}

/** An optional number, `-` for unknown. */
export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '-' : String(n);
}

/** Seconds since something, short: `0.4s ago`; `-` for never. */
export function formatAgo(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '-';
  return seconds < 10 ? `${seconds.toFixed(1)}s ago` : `${formatDuration(seconds)} ago`;
}
