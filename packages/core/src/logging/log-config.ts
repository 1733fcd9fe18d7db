/**
 * `--log-config-json FILE`: gunicorn hands such a file to Python's `dictConfig`. tgun has two loggers, `error`
 * and `access`, and the file configures exactly those, in a shape small enough to check completely:
 *
 * ```json
 * { "format": "json",
 *   "error":  { "level": "warning", "to": ["/var/log/app/error.log", "syslog"] },
 *   "access": { "to": "-", "format": "text" } }
 * ```
 *
 * `format` is `text` (gunicorn's lines) or `json` (one object per line); top level sets both loggers. `to` is
 * one destination or a list: `-` (stderr for `error`, stdout for `access`), `syslog` (the `syslog*` settings'
 * daemon), or a file path (relative to `chdir`); `[]` silences the logger. What the file leaves out comes from
 * the settings (`errorLog`, `logLevel`, `accessLog`, `syslog`). Every problem is reported at once.
 */
import { readFileSync } from 'node:fs';
import { LOG_LEVELS, type LogLevel } from './types.js';

/** A logger's line shape. */
export type LogFormat = 'text' | 'json';

/** One logger's part of the file. */
export interface LoggerConfig {
  readonly level?: LogLevel;
  readonly format?: LogFormat;
  readonly to?: readonly string[];
}

/** The validated file. */
export interface LogConfigFile {
  readonly error: LoggerConfig;
  readonly access: LoggerConfig;
}

const FORMATS: readonly string[] = ['text', 'json'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function loggerPart(
  name: 'error' | 'access',
  raw: unknown,
  inherited: LogFormat | undefined,
  problems: string[],
): LoggerConfig {
  if (raw === undefined) return inherited === undefined ? {} : { format: inherited };
  if (!isObject(raw)) {
    problems.push(`"${name}" must be an object`);
    return {};
  }
  const allowed = name === 'error' ? ['level', 'format', 'to'] : ['format', 'to'];
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key)) problems.push(`"${name}.${key}" is not a known key (expected ${allowed.join(', ')})`);
  }
  const out: { level?: LogLevel; format?: LogFormat; to?: string[] } = {};
  if (raw.level !== undefined) {
    const level = typeof raw.level === 'string' ? raw.level.toLowerCase().replace(/^warn$/, 'warning') : '';
    if ((LOG_LEVELS as readonly string[]).includes(level)) out.level = level as LogLevel;
    else problems.push(`"${name}.level" must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(raw.level)}`);
  }
  const format = raw.format ?? inherited;
  if (format !== undefined) {
    if (typeof format === 'string' && FORMATS.includes(format)) out.format = format as LogFormat;
    else problems.push(`"${name}.format" must be "text" or "json", got ${JSON.stringify(format)}`);
  }
  if (raw.to !== undefined) {
    const list = typeof raw.to === 'string' ? [raw.to] : raw.to;
    if (!Array.isArray(list) || list.some((t) => typeof t !== 'string' || t.trim() === '')) {
      problems.push(`"${name}.to" must be a destination or a list of them ("-", "syslog" or a file path)`);
    } else {
      out.to = list.map((t: string) => t.trim());
    }
  }
  return out;
}

/** Checks a parsed file; returns the configuration and every problem found (empty when it is valid). */
export function checkLogConfig(raw: unknown): { config: LogConfigFile; problems: string[] } {
  const problems: string[] = [];
  if (!isObject(raw)) return { config: { error: {}, access: {} }, problems: ['the file must hold a JSON object'] };
  for (const key of Object.keys(raw)) {
    if (!['format', 'error', 'access'].includes(key))
      problems.push(`"${key}" is not a known key (expected format, error, access)`);
  }
  let top: LogFormat | undefined;
  if (raw.format !== undefined) {
    if (typeof raw.format === 'string' && FORMATS.includes(raw.format)) top = raw.format as LogFormat;
    else problems.push(`"format" must be "text" or "json", got ${JSON.stringify(raw.format)}`);
  }
  const error = loggerPart('error', raw.error, top, problems);
  const access = loggerPart('access', raw.access, top, problems);
  return { config: { error, access }, problems };
}

/** Reads and checks `path`; throws one error listing every problem. */
export function readLogConfig(path: string): LogConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  const { config, problems } = checkLogConfig(parsed);
  if (problems.length > 0) throw new Error(`${path}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return config;
}
