/**
 * Validators shared by the setting declarations. Each accepts what a user can write in any layer — a string
 * from the command line or `TGUN_CMD_ARGS`, or a typed value from a config file — and returns the typed value
 * or throws a {@link SettingValueError}.
 */
import { isIP } from 'node:net';
import { SettingValueError, type Validator } from './types.js';

function describe(raw: unknown): string {
  if (typeof raw === 'string') return JSON.stringify(raw);
  if (typeof raw === 'function') return 'a function';
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'an array';
  if (typeof raw === 'object') return 'an object';
  return String(raw);
}

function fail(message: string): never {
  throw new SettingValueError(message);
}

/** A whole number ≥ `min` (default 0) and ≤ `max`; accepts numeric strings, including `0x` hex like gunicorn. */
export function int(opts: { min?: number; max?: number } = {}): Validator<number> {
  const min = opts.min ?? 0;
  const max = opts.max ?? Number.MAX_SAFE_INTEGER;
  return (raw) => {
    let n: number;
    if (typeof raw === 'number') n = raw;
    else if (typeof raw === 'string' && /^\s*(0x[0-9a-f]+|[+-]?\d+)\s*$/i.test(raw)) n = Number(raw.trim());
    else return fail(`expected a whole number, got ${describe(raw)}`);
    if (!Number.isInteger(n)) return fail(`expected a whole number, got ${describe(raw)}`);
    if (n < min) return fail(`must be at least ${min}, got ${n}`);
    if (n > max) return fail(`must be at most ${max}, got ${n}`);
    return n;
  };
}

/** A non-negative number of seconds; fractions allowed. */
export function seconds(opts: { min?: number } = {}): Validator<number> {
  const min = opts.min ?? 0;
  return (raw) => {
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
    if (!Number.isFinite(n)) return fail(`expected a number of seconds, got ${describe(raw)}`);
    if (n < min) return fail(`must be at least ${min}, got ${n}`);
    return n;
  };
}

/** `true`/`false`; from text, only `true`/`false`/`1`/`0`/`yes`/`no`/`on`/`off` in any case. */
export const bool: Validator<boolean> = (raw) => {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string') {
    const v = raw.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(v)) return true;
    if (['false', '0', 'no', 'off'].includes(v)) return false;
  }
  return fail(`expected true or false, got ${describe(raw)}`);
};

/** A string, trimmed; empty allowed unless `nonEmpty`. */
export function string(opts: { nonEmpty?: boolean } = {}): Validator<string> {
  return (raw) => {
    if (typeof raw !== 'string') return fail(`expected a string, got ${describe(raw)}`);
    const v = raw.trim();
    if (opts.nonEmpty && v === '') return fail('must not be empty');
    return v;
  };
}

/** A string or `null` (unset). */
export function optionalString(): Validator<string | null> {
  const s = string({ nonEmpty: true });
  return (raw) => (raw === null || raw === undefined ? null : s(raw));
}

/** One of a fixed set of words. */
export function oneOf<const T extends string>(choices: readonly T[]): Validator<T> {
  return (raw) => {
    const v = typeof raw === 'string' ? raw.trim().toLowerCase() : raw;
    if (typeof v === 'string' && (choices as readonly string[]).includes(v)) return v as T;
    return fail(`expected one of ${choices.join(', ')}, got ${describe(raw)}`);
  };
}

/**
 * A list of strings. Accepts an array, or a comma-separated string (`"a,b"`), so the same setting reads the
 * same from a config file, `TGUN_CMD_ARGS` and repeated flags. Each item goes through `item`.
 */
export function list<T = string>(item: Validator<T> = string({ nonEmpty: true }) as Validator<T>): Validator<T[]> {
  return (raw) => {
    let parts: unknown[];
    if (Array.isArray(raw)) parts = raw.flatMap((p) => (typeof p === 'string' ? p.split(',') : [p]));
    else if (typeof raw === 'string') parts = raw.split(',');
    else return fail(`expected a list of strings, got ${describe(raw)}`);
    const out: T[] = [];
    for (const p of parts) {
      if (typeof p === 'string' && p.trim() === '') continue;
      out.push(item(p));
    }
    return out;
  };
}

/** A file mode or umask; text with a leading `0` or `0o` is octal (`0022` → 18), like gunicorn. */
export const octal: Validator<number> = (raw) => {
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 && raw <= 0o7777) return raw;
  if (typeof raw === 'string') {
    const v = raw.trim();
    let n = Number.NaN;
    // A leading 0 means octal, as in gunicorn, so `0999` is an error rather than decimal 999.
    if (/^0x[0-9a-f]+$/i.test(v)) n = Number.parseInt(v, 16);
    else if (/^0o?\d+$/i.test(v)) n = /^0o?[0-7]+$/i.test(v) ? Number.parseInt(v.replace(/^0o?/i, '') || '0', 8) : n;
    else if (/^\d+$/.test(v)) n = Number.parseInt(v, 10);
    if (Number.isInteger(n) && n >= 0 && n <= 0o7777) return n;
  }
  return fail(`expected a file mode such as 0022 or 0o600, got ${describe(raw)}`);
};

/** An IP address, a CIDR network, or `*`. */
export const ipOrNetwork: Validator<string> = (raw) => {
  if (typeof raw !== 'string') return fail(`expected an IP address or network, got ${describe(raw)}`);
  const v = raw.trim();
  if (v === '*') return v;
  const [addr, bits, extra] = v.split('/');
  const family = addr ? isIP(addr) : 0;
  if (!family || extra !== undefined) return fail(`${JSON.stringify(v)} is not an IP address or CIDR network`);
  if (bits !== undefined) {
    const n = /^\d+$/.test(bits) ? Number(bits) : Number.NaN;
    if (!(n >= 0 && n <= (family === 4 ? 32 : 128))) return fail(`${JSON.stringify(v)} has an invalid prefix length`);
  }
  return v;
};

/** An object mapping strings to strings (header → value maps). */
export const stringMap: Validator<Record<string, string>> = (raw) => {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return fail(`expected an object of strings, got ${describe(raw)}`);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== 'string') return fail(`value of ${JSON.stringify(k)} must be a string, got ${describe(v)}`);
    out[k] = v;
  }
  return out;
};

/**
 * A server hook: a function. Hooks are only set in config files; the check makes a misspelt value (a string,
 * an object) a configuration error instead of a crash at the hook's first call.
 */
export function hook<F extends (...args: never[]) => unknown>(): Validator<F> {
  return (raw) => {
    if (typeof raw !== 'function') return fail(`must be a function, got ${describe(raw)}`);
    return raw as F;
  };
}
