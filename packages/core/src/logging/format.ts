/** The error log's line shape, gunicorn's: `[2026-11-22 18:01:12 +0000] [50462] [INFO] Starting tgun 0.1.0`. */
import type { LogLevel } from './types.js';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Local time as `[YYYY-MM-DD HH:MM:SS +ZZZZ]`, like gunicorn's `%Y-%m-%d %H:%M:%S %z`. */
export function formatTimestamp(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  const zone = `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return `[${day} ${time} ${zone}]`;
}

/** One complete error-log line, newline included. */
export function formatLine(level: LogLevel, message: string, pid = process.pid, date = new Date()): string {
  return `${formatTimestamp(date)} [${pid}] [${level.toUpperCase()}] ${message}\n`;
}
