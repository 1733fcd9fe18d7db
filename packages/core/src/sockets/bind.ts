/**
 * Bind-only sockets: the arbiter binds every address but never listens or accepts on it; workers inherit the
 * fd and call `listen({ fd })`, so the kernel hands connections to workers directly.
 *
 * Node 26.4+ has the public `net.BoundSocket` for this; older lines only have the internal
 * `net._createServerHandle` that `cluster` uses for the same job. {@link bindApi} picks one, in one place.
 */
import * as net from 'node:net';
import { getSystemErrorMap, getSystemErrorName } from 'node:util';

/** A bound, not listening, socket owned by the arbiter. */
export interface BoundHandle {
  /** The descriptor handed to workers in their `stdio` array. */
  readonly fd: number;
  /** `host`/`port` actually bound (port 0 becomes the kernel's choice); null for unix sockets. */
  readonly local: { readonly host: string; readonly port: number } | null;
  /** Closes the socket; for a unix socket this removes its file. */
  close(): void;
}

/** What to bind: a numeric IP with a port, or a unix socket path. */
export type BindTarget = { readonly host: string; readonly port: number } | { readonly path: string };

interface InternalHandle {
  readonly fd: number;
  close(callback?: () => void): void;
  getsockname?(out: Record<string, unknown>): number;
}
type CreateServerHandle = (
  address: string | null,
  port: number | null,
  addressType: number | null,
  fd?: number,
) => InternalHandle | number;

interface PublicBoundSocket {
  fd(): number;
  address(): { address: string; port: number } | null;
  close(): void;
}
type BoundSocketClass = new (options: Record<string, unknown>) => PublicBoundSocket;

/** An error carrying the errno name (`EADDRINUSE`) the way Node's own socket errors do. */
export function socketError(code: string, what: string): NodeJS.ErrnoException {
  const text = [...getSystemErrorMap().values()].find(([name]) => name === code)?.[1];
  const err: NodeJS.ErrnoException = new Error(`bind ${code}${text ? `: ${text}` : ''} ${what}`);
  err.code = code;
  return err;
}

const adopted: InternalHandle[] = [];
const internal = (net as unknown as { _createServerHandle?: CreateServerHandle })._createServerHandle;

/**
 * Which API this Node offers: the public `net.BoundSocket` (26.4+), else the internal handle factory.
 * Exported so a test can tell which path ran.
 */
export function bindApi(): 'BoundSocket' | 'internal' {
  const Bound = (net as unknown as { BoundSocket?: BoundSocketClass }).BoundSocket;
  if (typeof Bound === 'function') return 'BoundSocket';
  if (typeof internal === 'function') return 'internal';
  throw new Error('this Node version offers no way to bind a socket without listening');
}

function viaBoundSocket(target: BindTarget): BoundHandle {
  const Bound = (net as unknown as { BoundSocket: BoundSocketClass }).BoundSocket;
  const sock =
    'path' in target ? new Bound({ path: target.path }) : new Bound({ host: target.host, port: target.port });
  const addr = 'path' in target ? null : sock.address();
  if (addr && addr.port === 0) {
    sock.close();
    throw socketError('EADDRINUSE', `${(target as { host: string }).host}:${(target as { port: number }).port}`);
  }
  return {
    fd: sock.fd(),
    local: addr ? { host: addr.address, port: addr.port } : null,
    close: () => sock.close(),
  };
}

function viaInternal(target: BindTarget): BoundHandle {
  const create = internal as CreateServerHandle;
  const what = 'path' in target ? target.path : `${target.host}:${target.port}`;
  const result =
    'path' in target ? create(target.path, -1, -1) : create(target.host, target.port, net.isIP(target.host));
  if (typeof result === 'number') throw socketError(getSystemErrorName(result), what);
  let local: BoundHandle['local'] = null;
  if (!('path' in target)) {
    const out: Record<string, unknown> = {};
    // libuv defers a failed bind(2) (EADDRINUSE) to listen(); getsockname reports it now. Left alone, the
    // first worker's listen() would silently bind a random port instead.
    const err = result.getsockname?.(out) ?? 0;
    if (err !== 0 || out.port === 0) {
      result.close();
      throw socketError(err !== 0 ? getSystemErrorName(err) : 'EADDRINUSE', what);
    }
    local =
      out.port === undefined
        ? { host: target.host, port: target.port }
        : { host: String(out.address), port: Number(out.port) };
  }
  return { fd: result.fd, local, close: () => result.close() };
}

/** Binds `target` without listening; throws an errno-coded error (`EADDRINUSE`, `EACCES`, …). */
export function bindOnly(target: BindTarget): BoundHandle {
  if (bindApi() === 'BoundSocket') {
    try {
      return viaBoundSocket(target);
    } catch (err) {
      // BoundSocket learnt unix paths after it first shipped; fall back for a line that lacks them.
      const code = (err as NodeJS.ErrnoException).code;
      if (!('path' in target) || code !== 'ERR_INVALID_ARG_VALUE' || typeof internal !== 'function') throw err;
    }
  }
  return viaInternal(target);
}

/**
 * Checks an inherited descriptor (systemd, `fd://N`, a USR2 parent) is a socket and describes it. Returns the
 * TCP address when the kernel reports one, `unix` for a unix socket, and throws for a non-socket fd.
 */
export function describeFd(fd: number): { kind: 'tcp'; host: string; port: number } | { kind: 'unix' } {
  if (typeof internal !== 'function') return { kind: 'unix' };
  const handle = internal(null, null, null, fd);
  if (typeof handle === 'number') throw socketError(getSystemErrorName(handle), `fd://${fd} is not a socket`);
  // The wrapper adopted the fd, which must stay open for workers: keep it referenced and never close it.
  adopted.push(handle);
  const out: Record<string, unknown> = {};
  const err = handle.getsockname?.(out) ?? -1;
  if (err === 0 && typeof out.port === 'number') return { kind: 'tcp', host: String(out.address), port: out.port };
  return { kind: 'unix' };
}
