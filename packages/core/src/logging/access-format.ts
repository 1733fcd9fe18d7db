/**
 * Compiles a gunicorn `access_log_format` string once into a function that renders one access-log line, so an
 * operator's existing format works unchanged. The format is Python `%`-formatting against a mapping:
 * `%(key)s` with gunicorn's atoms (see `access-atoms.ts`), `%%` for a literal `%`, and Python's optional
 * flags/width/precision (`%(h)-15s`, `%(D)6d`). Mistakes Python would raise on every request (a bare `%`, a
 * positional `%s`, an unknown conversion) are reported once, here, as an {@link AccessFormatError}.
 *
 * Per request the formatter walks a precompiled segment list: no parsing, no regular expressions, and only the
 * atoms the format uses are evaluated.
 */
import { type AccessRecord, type AtomContext, type AtomGetter, needsEscape, resolveAtom } from './access-atoms.js';

export type { AccessRecord, ResponseHeaderSource } from './access-atoms.js';

/** gunicorn's default `access_log_format` (Apache's combined log format). */
export const DEFAULT_ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"';

/** Renders one access-log line (without the trailing newline). */
export type AccessFormatter = (record: AccessRecord) => string;

/** A format string Python's `%` operator would reject; the message names the position. */
export class AccessFormatError extends Error {
  override name = 'AccessFormatError';
}

/** Options for {@link compileAccessFormat}. */
export interface AccessFormatOptions {
  /** Environment for `{NAME}e` atoms; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Wall clock in ms for the `t` atom; defaults to `Date.now`. */
  now?: () => number;
}

interface Spec {
  readonly get: AtomGetter | undefined;
  readonly escape: boolean;
  readonly numeric: boolean;
  readonly left: boolean;
  readonly zero: boolean;
  readonly width: number;
  readonly precision: number;
}

type Segment = string | Spec;

/**
 * gunicorn escapes `"` as `\"` and nothing else. We also escape control characters as `\xHH`, so a value can never
 * end the line early or forge a second one (a Basic-auth user name is arbitrary bytes); printable text, tabs and
 * non-ASCII are left exactly as gunicorn prints them.
 */
export function escapeValue(value: string): string {
  let i = 0;
  for (; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 34 || (c < 32 && c !== 9) || c === 127) break;
  }
  if (i === value.length) return value;
  let out = value.slice(0, i);
  for (; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 34) out += '\\"';
    else if ((c < 32 && c !== 9) || c === 127) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += value[i];
  }
  return out;
}

function render(spec: Spec, record: AccessRecord, context: AtomContext): string {
  if (spec.get === undefined) return pad(spec, '-');
  const value = spec.get(record, context);
  let text: string;
  if (spec.numeric) {
    const n = typeof value === 'number' ? value : Number(value);
    // Python raises for `%d` of a non-number and gunicorn then drops the line; a `-` keeps the line.
    text = Number.isFinite(n) ? String(Math.trunc(n)) : '-';
  } else if (typeof value === 'number') {
    text = String(value);
  } else {
    text = spec.escape ? escapeValue(value) : value;
    if (spec.precision >= 0 && text.length > spec.precision) text = text.slice(0, spec.precision);
  }
  return pad(spec, text);
}

function pad(spec: Spec, text: string): string {
  if (text.length >= spec.width) return text;
  if (spec.left) return text.padEnd(spec.width);
  return spec.zero && spec.numeric ? text.padStart(spec.width, '0') : text.padStart(spec.width);
}

/** Parses `%(key)…conv` starting at the `(`; returns the spec and the index after the conversion character. */
function parseSpec(format: string, open: number, env: NodeJS.ProcessEnv): [Spec, number] {
  let depth = 1;
  let i = open + 1;
  // Python matches parentheses by nesting depth, so `%({x(y)}i)s` has the key `{x(y)}i`.
  for (; i < format.length && depth > 0; i++) {
    if (format[i] === '(') depth++;
    else if (format[i] === ')') depth--;
  }
  if (depth > 0) throw new AccessFormatError(`incomplete format key starting at position ${open - 1}`);
  const key = format.slice(open + 1, i - 1);
  let left = false;
  let zero = false;
  for (; i < format.length && '-+ #0'.includes(format[i] as string); i++) {
    if (format[i] === '-') left = true;
    if (format[i] === '0') zero = true;
  }
  let width = 0;
  for (; i < format.length && format[i]! >= '0' && format[i]! <= '9'; i++) width = width * 10 + Number(format[i]);
  let precision = -1;
  if (format[i] === '.') {
    precision = 0;
    for (i++; i < format.length && format[i]! >= '0' && format[i]! <= '9'; i++) {
      precision = precision * 10 + Number(format[i]);
    }
  }
  if ('hlL'.includes(format[i] ?? '.')) i++;
  const conv = format[i];
  if (conv === undefined) throw new AccessFormatError(`incomplete format at position ${open - 1}`);
  if (!'sdiu'.includes(conv)) {
    throw new AccessFormatError(`unsupported format character '${conv}' at position ${i} (use %(${key})s)`);
  }
  const spec: Spec = {
    get: resolveAtom(key, env),
    escape: needsEscape(key),
    numeric: conv === 'd' || conv === 'i' || conv === 'u',
    left,
    zero,
    width,
    precision,
  };
  return [spec, i + 1];
}

function parse(format: string, env: NodeJS.ProcessEnv): Segment[] {
  const segments: Segment[] = [];
  let literal = '';
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct === -1) {
      literal += format.slice(i);
      break;
    }
    literal += format.slice(i, pct);
    const next = format[pct + 1];
    if (next === '%') {
      literal += '%';
      i = pct + 2;
    } else if (next === '(') {
      if (literal !== '') segments.push(literal);
      literal = '';
      const [spec, end] = parseSpec(format, pct + 1, env);
      segments.push(spec);
      i = end;
    } else if (next === undefined) {
      throw new AccessFormatError(`incomplete format: '%' at the end (write %% for a literal %)`);
    } else {
      throw new AccessFormatError(
        `'%${next}' at position ${pct} is not a named atom; write %(name)s, or %% for a literal %`,
      );
    }
  }
  if (literal !== '') segments.push(literal);
  return segments;
}

/**
 * Compiles `format` (gunicorn's `access_log_format` syntax) into an {@link AccessFormatter}. Throws
 * {@link AccessFormatError} for a format Python would reject. Unknown atoms render `-`, as in gunicorn.
 */
export function compileAccessFormat(format: string, options: AccessFormatOptions = {}): AccessFormatter {
  const segments = parse(format, options.env ?? process.env);
  const context: AtomContext = { now: options.now ?? Date.now, clockSecond: Number.NaN, clockText: '' };
  if (segments.length === 1 && typeof segments[0] === 'string') {
    const constant = segments[0];
    return () => constant;
  }
  return (record) => {
    let line = '';
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i] as Segment;
      line += typeof segment === 'string' ? segment : render(segment, record, context);
    }
    return line;
  };
}
