/**
 * The per-request half of the limits: what gunicorn refuses but Node's parser lets through (see `limits.ts` for
 * the full list), checked once the head is parsed and before the app is called, plus the table that turns a
 * Node `clientError` into the status to answer. One pass over `rawHeaders`, no regular expressions.
 */
import { type IncomingHttpHeaders, STATUS_CODES } from 'node:http';
import type { EffectiveLimits } from './limits.js';

/** The parts of an `IncomingMessage` {@link checkRequest} reads. */
export interface CheckedRequest {
  readonly httpVersionMajor: number;
  readonly httpVersionMinor: number;
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly rawHeaders: readonly string[];
  readonly headers: IncomingHttpHeaders;
}

/** A refused request: the status to answer (with `Connection: close`) and the message for the error log. */
export interface RequestRejection {
  readonly status: 400 | 408 | 413 | 431 | 501;
  /** Log text after gunicorn's `Invalid request from ip=<ip>: `, worded like gunicorn's exception. */
  readonly message: string;
}

const KNOWN_CODINGS = new Set(['chunked', 'identity', 'gzip', 'deflate', 'compress', 'x-gzip', 'x-compress']);

function trimOws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text[start] === ' ' || text[start] === '\t')) start++;
  while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return text.slice(start, end);
}

/**
 * gunicorn's strict `Transfer-Encoding` rules, applied to Node's comma-joined value. gunicorn treats a coding
 * list without `chunked` as an empty body; we answer 400 as RFC 9112 §6.3 requires, because Node would hand
 * the app a request whose body it then fails to parse.
 */
function checkTransferEncoding(value: string, req: CheckedRequest): RequestRejection | undefined {
  const codings = value.split(',');
  let chunkedAt = -1;
  for (let i = 0; i < codings.length; i++) {
    const coding = trimOws(codings[i] as string).toLowerCase();
    if (!KNOWN_CODINGS.has(coding)) return { status: 501, message: `Unsupported transfer coding: '${coding}'` };
    if (coding === 'chunked') {
      if (chunkedAt !== -1) return invalidHeader('TRANSFER-ENCODING');
      chunkedAt = i;
    }
  }
  if (chunkedAt !== codings.length - 1) return invalidHeader('TRANSFER-ENCODING');
  if (req.httpVersionMinor === 0) return invalidHeader('TRANSFER-ENCODING');
  return undefined;
}

function invalidHeader(name: string): RequestRejection {
  return { status: 400, message: `Invalid HTTP Header: '${name}'` };
}

/**
 * Returns why gunicorn would refuse this request, or `undefined` to serve it. Call it from the request listener
 * before the app; on a rejection answer `status` with `Connection: close` and log `message`.
 * - HTTP major version other than 1 → 400 (`Invalid HTTP Version`);
 * - request line longer than `limit_request_line` → 400 (gunicorn's status, not 414);
 * - more than `limit_request_fields` headers, or a header line over `limit_request_field_size` → 431;
 * - a second `Host` or `Content-Type` → 400 (gunicorn 26.1);
 * - `Transfer-Encoding`: unknown coding → 501; `chunked` repeated, not last, absent, or on HTTP/1.0 → 400.
 *
 * Header line sizes are measured as `name: value` plus CRLF; the parser has already dropped optional
 * whitespace, so a line padded with extra spaces counts a few bytes short of what gunicorn measures.
 */
export function checkRequest(limits: EffectiveLimits, req: CheckedRequest): RequestRejection | undefined {
  if (req.httpVersionMajor !== 1) {
    return { status: 400, message: `Invalid HTTP Version: 'HTTP/${req.httpVersionMajor}.${req.httpVersionMinor}'` };
  }
  const lineLength = (req.method?.length ?? 0) + (req.url?.length ?? 0) + 10;
  if (lineLength > limits.requestLine) {
    return { status: 400, message: `Request Line is too large (${lineLength} > ${limits.requestLine})` };
  }
  const raw = req.rawHeaders;
  if (raw.length >>> 1 > limits.fields) return { status: 431, message: 'limit request headers fields' };
  let hosts = 0;
  let contentTypes = 0;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length + (raw[i + 1] as string).length + 4 > limits.fieldSize) {
      return { status: 431, message: 'limit request headers fields size' };
    }
    // Compare lengths first so most names are never lower-cased.
    if (name.length === 4 && name.toLowerCase() === 'host') hosts++;
    else if (name.length === 12 && name.toLowerCase() === 'content-type') contentTypes++;
  }
  if (hosts > 1) return invalidHeader('HOST');
  if (contentTypes > 1) return invalidHeader('CONTENT-TYPE');
  const te = req.headers['transfer-encoding'];
  return te === undefined ? undefined : checkTransferEncoding(te, req);
}

/**
 * Node `clientError` codes and the status gunicorn would give. Everything llhttp reports that is not listed is
 * a malformed request (400). Codes of network failures are absent from the answer: there is no one to tell.
 */
const CLIENT_ERROR_STATUS: Readonly<Record<string, RequestRejection['status'] | null>> = {
  HPE_HEADER_OVERFLOW: 431,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ECONNRESET: null,
  EPIPE: null,
  ETIMEDOUT: null,
  ERR_STREAM_DESTROYED: null,
};

/**
 * The status and reason phrase to answer for a Node `clientError` (`server.on('clientError', (err, socket) …)`),
 * or `undefined` when the connection is already gone. Only answer when `socket.writable` and no response has
 * started on it, as Node's default handler does.
 */
export function clientErrorStatus(error: Error & { code?: string }): { status: number; reason: string } | undefined {
  const code = error.code ?? '';
  const mapped = CLIENT_ERROR_STATUS[code];
  if (mapped === null) return undefined;
  const status = mapped ?? (code.startsWith('HPE_') ? 400 : undefined);
  return status === undefined ? undefined : { status, reason: STATUS_CODES[status] ?? 'Bad Request' };
}
