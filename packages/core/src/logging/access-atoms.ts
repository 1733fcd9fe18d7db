/**
 * gunicorn's access-log atoms (`glogging.Logger.atoms`), each resolved once at compile time into a getter over an
 * {@link AccessRecord}. Getters return a string (escaped later) or a number (never escaped), and do no work for
 * atoms the format does not use: the user name, decoded path and time string are only computed when asked for.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** The response side of a request, as far as the access log needs it. Node's `ServerResponse` satisfies it. */
export interface ResponseHeaderSource {
  getHeader(name: string): number | string | readonly string[] | undefined;
}

/**
 * What the worker fills in per request for the access log. Plain data plus the response object, so building it
 * costs a handful of property copies; every derived value (user, path, time, durations) is computed lazily.
 */
export interface AccessRecord {
  /** Client address (after PROXY protocol, if any); `undefined` for unix-socket peers → `-`. */
  remoteAddress: string | undefined;
  /** Client port, for the `{REMOTE_PORT}e` atom. */
  remotePort?: number | undefined;
  /** Request method as received. */
  method: string;
  /** Raw request target as received (`req.url`), query included. */
  url: string;
  /** `req.httpVersion`, e.g. `1.1`. */
  httpVersion: string;
  /** Response status code. */
  status: number;
  /** Response body bytes written, or `undefined` when unknown (`b` and `B` print `-`). */
  bytesSent: number | undefined;
  /** `req.headers`: lower-case names, repeated headers joined by Node. */
  requestHeaders: IncomingHttpHeaders;
  /** Source of response headers for `{name}o` atoms; pass the `ServerResponse` itself. */
  response: ResponseHeaderSource;
  /** `process.hrtime.bigint()` when the request started. */
  startTime: bigint;
  /** Request duration in nanoseconds; when absent it is measured from {@link AccessRecord.startTime} at format time. */
  durationNs?: bigint | undefined;
  /** Worker pid, for `p`. */
  pid: number;
  /** Scheme the app sees, for `{wsgi.url_scheme}e`. */
  scheme?: 'http' | 'https' | undefined;
}

/** Per-formatter state the time atom caches between calls. */
export interface AtomContext {
  /** Wall clock in ms since the epoch; injectable for tests. */
  readonly now: () => number;
  /** Last whole second formatted by `t`, and its string. */
  clockSecond: number;
  clockText: string;
}

/** Resolves one atom for one record. */
export type AtomGetter = (record: AccessRecord, context: AtomContext) => string | number;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function two(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** `[%d/%b/%Y:%H:%M:%S %z]` in local time, as `time.strftime` prints it in the C locale. */
export function formatClfTime(ms: number): string {
  const d = new Date(ms);
  const offset = -d.getTimezoneOffset();
  const abs = Math.abs(offset);
  const zone = `${offset < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}${two(abs % 60)}`;
  return (
    `[${two(d.getDate())}/${MONTHS[d.getMonth()]}/${d.getFullYear()}:` +
    `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${zone}]`
  );
}

function clock(_: AccessRecord, context: AtomContext): string {
  const ms = context.now();
  const second = Math.floor(ms / 1000);
  // One Date per second at most: at thousands of requests a second the string is built once and reused.
  if (second !== context.clockSecond) {
    context.clockSecond = second;
    context.clockText = formatClfTime(ms);
  }
  return context.clockText;
}

function durationNs(record: AccessRecord): bigint {
  return record.durationNs ?? process.hrtime.bigint() - record.startTime;
}

function micros(record: AccessRecord): number {
  return Number(durationNs(record) / 1000n);
}

function headerText(value: number | string | readonly string[] | undefined): string {
  if (value === undefined) return '-';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return value.join(', ');
}

/** The user name from `Authorization: Basic …`, as gunicorn's `_get_user`: text before the first `:`. */
export function basicAuthUser(authorization: string | undefined): string | undefined {
  if (authorization === undefined || authorization.length < 7) return undefined;
  if (authorization.slice(0, 5).toLowerCase() !== 'basic' || authorization[5] !== ' ') return undefined;
  const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
  if (decoded === '' || decoded.includes('\ufffd')) return undefined;
  const colon = decoded.indexOf(':');
  return colon === -1 ? decoded : decoded.slice(0, colon);
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  let path = q === -1 ? url : url.slice(0, q);
  // Absolute-form targets (`GET http://host/p HTTP/1.1`, sent to proxies) carry the path after the authority.
  if (path.charCodeAt(0) !== 47 /* / */ && path.includes('://')) {
    const slash = path.indexOf('/', path.indexOf('://') + 3);
    path = slash === -1 ? '/' : path.slice(slash);
  }
  return path;
}

function decodedPath(record: AccessRecord): string {
  const path = pathOf(record.url);
  if (!path.includes('%')) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function queryOf(record: AccessRecord): string {
  const q = record.url.indexOf('?');
  return q === -1 ? '' : record.url.slice(q + 1);
}

const SIMPLE: Readonly<Record<string, AtomGetter>> = {
  h: (r) => r.remoteAddress || '-',
  l: () => '-',
  u: (r) => {
    const auth = r.requestHeaders.authorization;
    return (typeof auth === 'string' ? basicAuthUser(auth) : undefined) ?? '-';
  },
  t: clock,
  r: (r) => `${r.method} ${r.url} HTTP/${r.httpVersion}`,
  m: (r) => r.method,
  U: decodedPath,
  q: queryOf,
  H: (r) => `HTTP/${r.httpVersion}`,
  s: (r) => r.status,
  B: (r) => r.bytesSent ?? '-',
  b: (r) => (r.bytesSent === undefined ? '-' : r.bytesSent),
  f: (r) => headerText(r.requestHeaders.referer),
  a: (r) => headerText(r.requestHeaders['user-agent']),
  T: (r) => Math.floor(micros(r) / 1e6),
  M: (r) => Math.floor(micros(r) / 1e3),
  D: micros,
  L: (r) => {
    const us = micros(r);
    return `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}`;
  },
  p: (r) => `<${r.pid}>`,
};

/** gunicorn's WSGI environ names that mean something for a Node request, for `{NAME}e`. */
const CGI: Readonly<Record<string, AtomGetter>> = {
  request_method: SIMPLE.m as AtomGetter,
  raw_uri: (r) => r.url,
  path_info: decodedPath,
  query_string: queryOf,
  server_protocol: SIMPLE.H as AtomGetter,
  remote_addr: (r) => r.remoteAddress ?? '-',
  remote_port: (r) => (r.remotePort === undefined ? '-' : String(r.remotePort)),
  content_type: (r) => headerText(r.requestHeaders['content-type']),
  content_length: (r) => headerText(r.requestHeaders['content-length']),
  'wsgi.url_scheme': (r) => r.scheme ?? '-',
};

function envGetter(name: string, env: NodeJS.ProcessEnv): AtomGetter {
  const cgi = CGI[name];
  if (cgi !== undefined) return cgi;
  if (name.startsWith('http_')) {
    const header = name.slice(5).replaceAll('_', '-');
    return (r) => headerText(r.requestHeaders[header]);
  }
  // gunicorn lower-cases `{…}` keys, so match the variable's name case-insensitively; resolve which spelling
  // exists once, and read the value per request in case the app changes it.
  const key = Object.keys(env).find((k) => k.toLowerCase() === name) ?? name.toUpperCase();
  return () => env[key] ?? '-';
}

/**
 * The getter for one `%(key)s` key, or `undefined` for an unknown key (rendered `-`, as gunicorn's `SafeAtoms`).
 * Plain keys are case-sensitive (`h` ≠ `H`); `{…}` keys are not, including their `i`/`o`/`e` suffix.
 */
export function resolveAtom(key: string, env: NodeJS.ProcessEnv): AtomGetter | undefined {
  if (!key.startsWith('{')) return Object.hasOwn(SIMPLE, key) ? SIMPLE[key] : undefined;
  const lower = key.toLowerCase();
  const close = lower.lastIndexOf('}');
  if (close === -1 || close !== lower.length - 2) return undefined;
  const name = lower.slice(1, close);
  switch (lower[lower.length - 1]) {
    case 'i':
      return (r) => headerText(r.requestHeaders[name]);
    case 'o':
      return (r) => headerText(r.response.getHeader(name));
    case 'e':
      return envGetter(name, env);
    default:
      return undefined;
  }
}

/** Whether an atom's value comes from the client or app and so needs escaping. Internal atoms never do. */
export function needsEscape(key: string): boolean {
  return !['t', 's', 'p', 'T', 'M', 'D', 'L', 'B', 'b', 'l', 'H'].includes(key);
}
