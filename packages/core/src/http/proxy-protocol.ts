/**
 * PROXY protocol (v1 text, v2 binary) read from a freshly accepted socket before the HTTP parser sees any byte.
 *
 * Usage in a worker: accept on a `net.Server`, `await readProxyHeader(socket, …)`, then hand the socket to the
 * HTTP server with `httpServer.emit('connection', socket)`. Bytes that arrived after the header are pushed back
 * with `socket.unshift`, so the HTTP (or TLS) layer reads them first; Node's http server and `tls.TLSSocket` both
 * consume bytes already buffered on the socket.
 *
 * As in gunicorn, the header is optional in every mode (a plain request on a PROXY-enabled listener is served
 * with the socket's addresses), only the first bytes of a connection are inspected, and a header from a peer
 * outside `proxy_allow_ips` is refused with 403 before it is parsed. Unlike gunicorn, v1 `UNKNOWN` is accepted
 * (the spec requires it; HAProxy sends it for health checks) and a malformed v2 header answers 400, not 500.
 */
import { isIPv4, isIPv6, type Socket } from 'node:net';
import { type AddressMatcher, isTrustedPeer } from './trust.js';
import { type ProxyHeader, ProxyProtocolError, type ProxyProtocolMode } from './proxy-protocol-types.js';
import { parseProxyV2, V2_FIXED_LENGTH, V2_SIGNATURE } from './proxy-protocol-v2.js';

export { parseProxyV2, V2_SIGNATURE } from './proxy-protocol-v2.js';
export * from './proxy-protocol-types.js';

/** The longest legal v1 line, CRLF included (`PROXY TCP6` with two full IPv6 addresses and ports). */
export const V1_MAX_LENGTH = 107;
/** Default cap on a v2 header's address-and-TLV block; real proxies send a few hundred bytes at most. */
export const V2_DEFAULT_MAX_LENGTH = 4096;

const V1_PREFIX = Buffer.from('PROXY ', 'latin1');
const PORT = /^(?:0|[1-9]\d{0,4})$/;

/** Options for {@link readProxyHeader}. */
export interface ReadProxyHeaderOptions {
  /** `v1`, `v2` or `auto`; with `off` nothing is read and the promise resolves `undefined` at once. */
  readonly mode: ProxyProtocolMode;
  /** `proxy_allow_ips`: peers allowed to send a header (unix-socket peers always are). */
  readonly proxyAllowIps: AddressMatcher;
  /** Give up (408, or silently if nothing arrived) when the header is not complete by then. Default 30 000 ms. */
  readonly timeoutMs?: number;
  /** Largest v2 length field accepted, in bytes. Default {@link V2_DEFAULT_MAX_LENGTH}. */
  readonly maxV2Length?: number;
}

function badV1(why: string): ProxyProtocolError {
  return new ProxyProtocolError(`Invalid PROXY line: ${why}`, 400);
}

function port(text: string): number {
  const n = PORT.test(text) ? Number(text) : Number.NaN;
  if (!(n <= 65535)) throw badV1(`invalid port '${text}'`);
  return n;
}

/**
 * Parses one v1 line without its CRLF: `PROXY TCP4|TCP6 <src> <dst> <srcport> <dstport>` or `PROXY UNKNOWN …`.
 * Throws {@link ProxyProtocolError} (400) when it is not exactly that, as gunicorn's `InvalidProxyLine`.
 */
export function parseProxyV1(line: string): ProxyHeader {
  const parts = line.split(' ');
  if (parts[0] !== 'PROXY') throw badV1('does not start with PROXY');
  if (parts[1] === 'UNKNOWN') return { version: 1, command: 'local' };
  if (parts.length !== 6) throw badV1(`expected 6 fields, got ${parts.length}`);
  const [, protocol, source, destination, sourcePort, destinationPort] = parts as [string, ...string[]];
  const valid = protocol === 'TCP4' ? isIPv4 : protocol === 'TCP6' ? isIPv6 : undefined;
  if (valid === undefined) throw badV1(`unsupported protocol '${protocol}'`);
  for (const address of [source, destination] as string[]) {
    // Node accepts zone ids (`fe80::1%eth0`); a proxy never sends them and the app could not use them.
    if (!valid(address) || address.includes('%')) throw badV1(`invalid ${protocol} address '${address}'`);
  }
  return {
    version: 1,
    command: 'proxy',
    family: protocol === 'TCP4' ? 'tcp4' : 'tcp6',
    remoteAddress: source as string,
    proxyAddress: destination as string,
    remotePort: port(sourcePort as string),
    proxyPort: port(destinationPort as string),
  };
}

function ignore(): void {}

/** How far `buffer` matches `signature`: `full`, `prefix` (need more bytes) or `no`. */
function matchSignature(buffer: Buffer, signature: Buffer): 'full' | 'prefix' | 'no' {
  const n = Math.min(buffer.length, signature.length);
  if (buffer.compare(signature, 0, n, 0, n) !== 0) return 'no';
  return n === signature.length ? 'full' : 'prefix';
}

type Step =
  | { readonly kind: 'more' }
  | { readonly kind: 'plain' }
  | { readonly kind: 'header'; readonly header: ProxyHeader; readonly consumed: number };

/** Decides what the bytes so far are; throws {@link ProxyProtocolError} for a refused or malformed header. */
function step(buffer: Buffer, mode: ProxyProtocolMode, maxV2: number, allowed: () => boolean): Step {
  const v1 = mode === 'v1' || mode === 'auto' ? matchSignature(buffer, V1_PREFIX) : 'no';
  const v2 = mode === 'v2' || mode === 'auto' ? matchSignature(buffer, V2_SIGNATURE) : 'no';
  if (v1 === 'no' && v2 === 'no') return { kind: 'plain' };
  if (v1 === 'prefix' || v2 === 'prefix') return { kind: 'more' };
  if (!allowed()) throw new ProxyProtocolError('PROXY protocol header from a peer outside proxy_allow_ips', 403);
  if (v1 === 'full') {
    const end = buffer.indexOf(0x0a);
    const scanned = end === -1 ? buffer.length : end + 1;
    if (end === -1 && scanned < V1_MAX_LENGTH) return { kind: 'more' };
    if (end === -1 || scanned > V1_MAX_LENGTH) throw badV1(`no CRLF within ${V1_MAX_LENGTH} bytes`);
    if (buffer[end - 1] !== 0x0d) throw badV1('line ends with a bare LF');
    return { kind: 'header', header: parseProxyV1(buffer.toString('latin1', 0, end - 1)), consumed: end + 1 };
  }
  if (buffer.length < V2_FIXED_LENGTH) return { kind: 'more' };
  const length = buffer.readUInt16BE(14);
  if (length > maxV2) {
    throw new ProxyProtocolError(`PROXY protocol v2 header too large (${length} > ${maxV2} bytes)`, 400);
  }
  if (buffer.length < V2_FIXED_LENGTH + length) return { kind: 'more' };
  const consumed = V2_FIXED_LENGTH + length;
  return { kind: 'header', header: parseProxyV2(buffer.subarray(0, consumed)), consumed };
}

/**
 * Reads an optional PROXY protocol header from the start of `socket`. Resolves the parsed header, or `undefined`
 * when the connection does not start with one (or `mode` is `off`); either way every byte after the header is
 * left in the socket for the next reader. Rejects with a {@link ProxyProtocolError} whose `status` says what to
 * answer; the caller writes it and destroys the socket.
 */
export function readProxyHeader(socket: Socket, options: ReadProxyHeaderOptions): Promise<ProxyHeader | undefined> {
  const { mode, proxyAllowIps } = options;
  if (mode === 'off') return Promise.resolve(undefined);
  const maxV2 = options.maxV2Length ?? V2_DEFAULT_MAX_LENGTH;
  const allowed = (): boolean => isTrustedPeer(proxyAllowIps, socket);
  return new Promise((resolve, reject) => {
    let buffered: Buffer = Buffer.alloc(0);
    let done = false;
    const finish = (error: ProxyProtocolError | undefined, header?: ProxyHeader, rest?: Buffer): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.off('readable', onReadable);
      socket.off('end', onEnd);
      socket.off('error', onError);
      socket.off('close', onEnd);
      if (error !== undefined) {
        // The caller answers and closes; a failing write then must not become an unhandled 'error'.
        socket.on('error', ignore);
        reject(error);
        return;
      }
      if (rest !== undefined && rest.length > 0) socket.unshift(rest);
      resolve(header);
    };
    const onReadable = (): void => {
      let chunk: Buffer | null = socket.read() as Buffer | null;
      while (chunk !== null) {
        buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
        chunk = socket.read() as Buffer | null;
      }
      if (buffered.length === 0) return;
      try {
        const next = step(buffered, mode, maxV2, allowed);
        if (next.kind === 'plain') finish(undefined, undefined, buffered);
        else if (next.kind === 'header') finish(undefined, next.header, buffered.subarray(next.consumed));
      } catch (error) {
        finish(error as ProxyProtocolError);
      }
    };
    const onEnd = (): void => finish(new ProxyProtocolError('connection closed before the PROXY header', undefined));
    const onError = (error: Error): void =>
      finish(new ProxyProtocolError(`connection failed before the PROXY header: ${error.message}`, undefined));
    const timer = setTimeout(() => {
      const status = buffered.length > 0 ? 408 : undefined;
      finish(new ProxyProtocolError('PROXY header not received in time', status));
    }, options.timeoutMs ?? 30_000);
    socket.on('readable', onReadable);
    socket.once('end', onEnd);
    socket.once('error', onError);
    socket.once('close', onEnd);
  });
}
