/**
 * Which peers tgun believes: gunicorn's `forwarded_allow_ips` (and `proxy_allow_ips`, the same list type) and its
 * secure-scheme-header rule. A peer is trusted when it is a unix-socket peer, when its IP falls in a listed
 * address or CIDR range, or when the list contains `*`.
 *
 * Matching uses `node:net`'s `BlockList`, which on Node 20.19+ already treats an IPv4-mapped IPv6 address
 * (`::ffff:127.0.0.1`, what a dual-stack listener reports for IPv4 clients) as the IPv4 address it carries. We
 * still normalise mapped addresses ourselves so that behaviour does not hinge on that implementation detail.
 */
import { BlockList, isIPv4, isIPv6, type Socket } from 'node:net';

/** gunicorn's default for `forwarded_allow_ips` and `proxy_allow_ips` (`::1` added in gunicorn 23). */
export const DEFAULT_ALLOW_IPS: readonly string[] = Object.freeze(['127.0.0.1', '::1']);

/** A compiled allow-list. Build it once at boot with {@link compileAllowIps}; {@link AddressMatcher.matches} is cheap. */
export interface AddressMatcher {
  /** `true` when the list contained `*`. */
  readonly all: boolean;
  /** The entries as given, trimmed, for log lines and `--print-config`. */
  readonly entries: readonly string[];
  /** Whether an IP address string (v4, v6 or IPv4-mapped v6) is covered by the list. Non-IP input is never covered. */
  matches(address: string): boolean;
}

/** Thrown by {@link compileAllowIps} for an entry that is neither an IP address, a CIDR range nor `*`. */
export class AllowIpsError extends Error {
  override name = 'AllowIpsError';
}

const MAPPED_PREFIX = '::ffff:';

/** `::ffff:1.2.3.4` → `1.2.3.4`; anything else unchanged. */
function unmap(address: string): string {
  if (address.length > MAPPED_PREFIX.length && address.slice(0, MAPPED_PREFIX.length).toLowerCase() === MAPPED_PREFIX) {
    const rest = address.slice(MAPPED_PREFIX.length);
    if (isIPv4(rest)) return rest;
  }
  return address;
}

function addEntry(list: BlockList, entry: string): void {
  const slash = entry.indexOf('/');
  const ip = unmap(slash === -1 ? entry : entry.slice(0, slash));
  const family = isIPv4(ip) ? 'ipv4' : isIPv6(ip) && !ip.includes('%') ? 'ipv6' : undefined;
  if (family === undefined) throw new AllowIpsError(`'${entry}' is not an IP address or CIDR range`);
  if (slash === -1) {
    list.addAddress(ip, family);
    return;
  }
  const bitsText = entry.slice(slash + 1);
  let bits = /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : Number.NaN;
  // `::ffff:10.0.0.0/104` names the same hosts as `10.0.0.0/8`; store it in the IPv4 table we match against.
  if (family === 'ipv4' && ip !== entry.slice(0, slash)) bits -= 96;
  const max = family === 'ipv4' ? 32 : 128;
  if (!(bits >= 0 && bits <= max)) throw new AllowIpsError(`'${entry}' has an invalid prefix length`);
  list.addSubnet(ip, bits, family);
}

/**
 * Compiles gunicorn's allow-list syntax: a comma-separated string or a list of entries, each an IPv4 or IPv6
 * address, a CIDR range (host bits may be set, they are ignored), or `*`. Blank entries are skipped. Throws
 * {@link AllowIpsError} naming every bad entry, so config validation can report them together.
 */
export function compileAllowIps(spec: string | readonly string[]): AddressMatcher {
  const raw = typeof spec === 'string' ? spec.split(',') : spec;
  const entries = raw.map((e) => e.trim()).filter((e) => e !== '');
  const list = new BlockList();
  const problems: string[] = [];
  let all = false;
  for (const entry of entries) {
    if (entry === '*') {
      all = true;
      continue;
    }
    try {
      addEntry(list, entry);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length > 0) throw new AllowIpsError(problems.join('; '));
  return Object.freeze({
    all,
    entries: Object.freeze(entries),
    matches(address: string): boolean {
      if (all) return true;
      const ip = unmap(address);
      if (isIPv4(ip)) return list.check(ip, 'ipv4');
      return isIPv6(ip) && list.check(ip, 'ipv6');
    },
  });
}

/**
 * Whether the peer of an accepted server-side socket is trusted by `matcher`. Unix-socket peers are always
 * trusted, as in gunicorn: only local processes can reach them, usually the fronting proxy.
 *
 * Call it while the socket is open (at `connection` time or during the request). A TCP socket that is already
 * closed reports no address; it is treated as untrusted rather than mistaken for a unix peer, which is why a unix
 * peer is recognised by its server listening on a path rather than by the missing address.
 */
export function isTrustedPeer(matcher: AddressMatcher, socket: Socket): boolean {
  const address = socket.remoteAddress;
  if (address !== undefined) return matcher.matches(address);
  return isUnixPeer(socket);
}

/** `true` when `socket` was accepted by a server listening on a unix socket. */
export function isUnixPeer(socket: Socket): boolean {
  // A destroyed TCP socket also loses its remote address; it is no peer to trust.
  if (socket.destroyed) return false;
  // `server` is set by net.Server on every accepted socket. A pipe server's address() is its path, or null when
  // it listens on an inherited fd (Node cannot name it) — which is how every tgun worker listens. A TCP server
  // on an inherited fd still reports { address, port }.
  const server = (socket as Socket & { server?: { address(): unknown } }).server;
  if (server === undefined || typeof server.address !== 'function') return false;
  const address = server.address();
  return typeof address === 'string' || address === null;
}

/** gunicorn's default `secure_scheme_headers`: header name → the value that means "the client used https". */
export const DEFAULT_SECURE_SCHEME_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'X-FORWARDED-PROTOCOL': 'ssl',
  'X-FORWARDED-PROTO': 'https',
  'X-FORWARDED-SSL': 'on',
});

/** Compiled `secure_scheme_headers`, as {@link schemeFromHeaders} wants them. */
export interface SchemeHeaderMap {
  /** Lower-case header name → the value that means https. */
  readonly byName: ReadonlyMap<string, string>;
  /** Lengths of the names, so most request headers are skipped without lower-casing them. */
  readonly lengths: ReadonlySet<number>;
}

/** Compiles a `secure_scheme_headers` record once at boot; names are matched case-insensitively. */
export function compileSchemeHeaders(headers: Readonly<Record<string, string>>): SchemeHeaderMap {
  const byName = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return { byName, lengths: new Set([...byName.keys()].map((name) => name.length)) };
}

/** Two secure scheme headers disagree; gunicorn answers 400 (`InvalidSchemeHeaders`). */
export class InvalidSchemeHeadersError extends Error {
  override name = 'InvalidSchemeHeadersError';
  /** The status to answer with. */
  readonly status = 400;
  constructor() {
    super('Contradictory scheme headers');
  }
}

/**
 * The request's scheme, following gunicorn: when the peer is trusted, the first listed header present decides
 * (`https` if its value equals the configured one exactly, case-sensitively, else `http`) and any later listed
 * header that implies the other scheme throws {@link InvalidSchemeHeadersError}. Untrusted peers and requests
 * without any listed header get `connectionScheme` (`https` on a TLS listener).
 *
 * Takes Node's `req.rawHeaders` rather than `req.headers` because Node joins repeated headers with `, `, which
 * would hide a `X-Forwarded-Proto: https` / `X-Forwarded-Proto: http` pair that gunicorn rejects.
 */
export function schemeFromHeaders(
  rawHeaders: readonly string[],
  secureSchemeHeaders: SchemeHeaderMap,
  trusted: boolean,
  connectionScheme: 'http' | 'https' = 'http',
): 'http' | 'https' {
  if (!trusted || secureSchemeHeaders.byName.size === 0) return connectionScheme;
  const { byName, lengths } = secureSchemeHeaders;
  let scheme: 'http' | 'https' | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    if (!lengths.has(name.length)) continue;
    const expected = byName.get(name.toLowerCase());
    if (expected === undefined) continue;
    const found = rawHeaders[i + 1] === expected ? 'https' : 'http';
    if (scheme === undefined) scheme = found;
    else if (scheme !== found) throw new InvalidSchemeHeadersError();
  }
  return scheme ?? connectionScheme;
}
