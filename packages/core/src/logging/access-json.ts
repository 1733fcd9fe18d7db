/**
 * The access log's `json` format: one object per request with fixed, named fields, so log shippers need no
 * pattern and a quote in a user agent cannot break the line (hand-written JSON in `access_log_format` does,
 * gunicorn #2457). `accessLogFormat` is not used in this format.
 */
import { type AccessRecord, basicAuthUser } from './access-atoms.js';

function header(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

/** One access-log JSON line, newline included. */
export function accessJsonLine(record: AccessRecord): string {
  const ns = record.durationNs ?? process.hrtime.bigint() - record.startTime;
  const q = record.url.indexOf('?');
  const auth = record.requestHeaders.authorization;
  return `${JSON.stringify({
    time: new Date().toISOString(),
    logger: 'tgun.access',
    pid: record.pid,
    remote: record.remoteAddress ?? null,
    user: (typeof auth === 'string' ? basicAuthUser(auth) : undefined) ?? null,
    method: record.method,
    path: q === -1 ? record.url : record.url.slice(0, q),
    query: q === -1 ? '' : record.url.slice(q + 1),
    protocol: `HTTP/${record.httpVersion}`,
    status: record.status,
    bytes: record.bytesSent ?? null,
    referer: header(record.requestHeaders.referer),
    userAgent: header(record.requestHeaders['user-agent']),
    durationMs: Number(ns) / 1e6,
  })}\n`;
}
