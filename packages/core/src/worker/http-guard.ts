/**
 * What tgun checks and rewrites on every request before the app sees it, in one pass over `rawHeaders`:
 * gunicorn's request limits (`checkRequest`), `headerMap` for header names containing `_`, and proxy trust.
 *
 * Proxy trust: from a peer outside `forwardedAllowIps`, the forwarding headers (`X-Forwarded-For`,
 * `-Proto`, `-Host`, `Forwarded`, and every `secureSchemeHeaders` name) are removed from `req.headers` and
 * `req.rawHeaders`, so no framework can be fooled by a client that forges them, whatever its own trust
 * setting. From a trusted peer they are kept for frameworks configured to trust the proxy, and contradictory
 * scheme headers are refused with 400, as gunicorn does.
 *
 * HTTP/2 requests (Node's compatibility API) pass the same checks on their regular headers; pseudo-headers
 * (`:method`, `:path`, `:authority`, `:scheme`) are the request line, not header fields. Their whole header
 * list is also held to `http2MaxHeaderListSize`, which Node advertises to clients but does not enforce.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { type CheckedRequest, checkRequest, type EffectiveLimits, type RequestRejection } from '../http/limits.js';
import {
  type AddressMatcher,
  InvalidSchemeHeadersError,
  isTrustedPeer,
  type SchemeHeaderMap,
  schemeFromHeaders,
} from '../http/trust.js';
import { isHttp2Request } from './http2-request.js';

/** Compiled once per worker from the settings. */
export interface GuardSettings {
  readonly limits: EffectiveLimits;
  readonly headerMap: 'drop' | 'refuse' | 'dangerous';
  /** Lower-case `forwarderHeaders`; `*` keeps every underscore header from trusted peers. */
  readonly forwarderHeaders: ReadonlySet<string>;
  readonly trust: AddressMatcher;
  readonly schemeHeaders: SchemeHeaderMap;
  /** RFC 9113 header-list bound for HTTP/2 requests (name + value + 32 per field); absent = unbounded. */
  readonly http2MaxHeaderListSize?: number;
}

/** Headers only a trusted proxy may send, besides the configured secure-scheme headers. */
const FORWARDING_HEADERS = ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'forwarded'];

/** The lower-case names stripped from untrusted peers, with their lengths for a cheap first test. */
interface StripSet {
  readonly names: ReadonlySet<string>;
  readonly lengths: ReadonlySet<number>;
}

/** A guard ready to run per request. */
export interface RequestGuard {
  readonly settings: GuardSettings;
  readonly strip: StripSet;
}

/** Compiles the guard once at boot. */
export function createGuard(settings: GuardSettings): RequestGuard {
  const names = new Set([...FORWARDING_HEADERS, ...settings.schemeHeaders.byName.keys()]);
  return { settings, strip: { names, lengths: new Set([...names].map((n) => n.length)) } };
}

const TRUSTED = Symbol('tgun.trustedPeer');
type MarkedSocket = Socket & { [TRUSTED]?: boolean };

/** Whether the request's peer is trusted; computed once per connection. */
export function peerTrusted(guard: RequestGuard, socket: Socket): boolean {
  const marked = socket as MarkedSocket;
  let trusted = marked[TRUSTED];
  if (trusted === undefined) {
    trusted = isTrustedPeer(guard.settings.trust, socket);
    marked[TRUSTED] = trusted;
  }
  return trusted;
}

/**
 * The view of an HTTP/2 request that gunicorn's limits read: its regular headers only, and the version
 * check passed (HTTP/2 is negotiated, not read from a request line). Also refuses a header list over
 * `limit`, counted over every field as RFC 9113 §6.5.2 does.
 */
function http2Checked(req: IncomingMessage, limit: number | undefined): CheckedRequest | RequestRejection {
  const raw = req.rawHeaders;
  const regular: string[] = [];
  let size = 0;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    size += name.length + value.length + 32;
    if (name.charCodeAt(0) !== 58 /* ':' */) regular.push(name, value);
  }
  if (limit !== undefined && size > limit) {
    return { status: 431, message: `HTTP/2 header list too large (${size} > ${limit} bytes)` };
  }
  return {
    httpVersionMajor: 1,
    httpVersionMinor: 1,
    method: req.method,
    url: req.url,
    rawHeaders: regular,
    headers: req.headers,
  };
}

function keepUnderscore(settings: GuardSettings, lower: string, trusted: boolean): boolean {
  if (settings.headerMap === 'dangerous') return true;
  return trusted && (settings.forwarderHeaders.has('*') || settings.forwarderHeaders.has(lower));
}

/**
 * Checks and cleans `req` in place. Returns the scheme the request arrived with (`connectionScheme` unless a
 * trusted proxy says otherwise), or the rejection to answer; a rejected request must not reach the app.
 */
export function guardRequest(
  guard: RequestGuard,
  req: IncomingMessage,
  connectionScheme: 'http' | 'https',
): 'http' | 'https' | RequestRejection {
  const { settings, strip } = guard;
  const checked = isHttp2Request(req) ? http2Checked(req, settings.http2MaxHeaderListSize) : req;
  if ('status' in checked) return checked;
  const refused = checkRequest(settings.limits, checked);
  if (refused !== undefined) return refused;
  const trusted = peerTrusted(guard, req.socket);
  const raw = req.rawHeaders;
  let drop: Set<number> | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    const underscore = name.includes('_');
    const forwarding = !trusted && strip.lengths.has(name.length);
    if (!underscore && !forwarding) continue;
    const lower = name.toLowerCase();
    let remove = false;
    if (underscore && !keepUnderscore(settings, lower, trusted)) {
      if (settings.headerMap === 'refuse') return { status: 400, message: `Invalid HTTP Header: '${name}'` };
      remove = true;
    } else if (forwarding && strip.names.has(lower)) {
      remove = true;
    }
    if (remove) {
      drop ??= new Set();
      drop.add(i);
    }
  }
  if (drop !== undefined) removeHeaders(req, drop);
  if (!trusted) return connectionScheme;
  try {
    return schemeFromHeaders(req.rawHeaders, settings.schemeHeaders, true, connectionScheme);
  } catch (err) {
    if (err instanceof InvalidSchemeHeadersError) return { status: 400, message: err.message };
    throw err;
  }
}

function removeHeaders(req: IncomingMessage, drop: ReadonlySet<number>): void {
  // Node builds `headers` and `headersDistinct` lazily from `rawHeaders` and its original header count, so
  // both are materialised before `rawHeaders` shrinks.
  const headers = req.headers;
  // An HTTP/2 request has no `headersDistinct`, and its `rawHeaders` is a getter.
  const distinct = req.headersDistinct as IncomingMessage['headersDistinct'] | undefined;
  const raw = req.rawHeaders;
  const kept: string[] = [];
  const removed = new Set<string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (drop.has(i)) removed.add((raw[i] as string).toLowerCase());
    else kept.push(raw[i] as string, raw[i + 1] as string);
  }
  // Every spelling of a removed name is removed above, so deleting the joined entry loses nothing kept.
  for (const name of removed) {
    delete headers[name];
    if (distinct !== undefined) delete distinct[name];
  }
  Object.defineProperty(req, 'rawHeaders', { value: kept, writable: true, configurable: true, enumerable: true });
}
