/**
 * A bound, not yet listening, socket: what the arbiter hands a worker. Test-only use of the internal
 * `net._createServerHandle` (the handle `cluster` uses for the same job), so adapters listen on an fd in tests
 * exactly as they do in a worker.
 */
import * as net from 'node:net';
import { getSystemErrorName } from 'node:util';

interface Handle {
  readonly fd: number;
  getsockname?(out: Record<string, unknown>): number;
  close(): void;
}
type Create = (address: string, port: number, addressType: number) => Handle | number;

/** A bound socket: the fd, and the URL it will answer on once something listens on it. */
export interface BoundSocket {
  readonly fd: number;
  readonly url: string;
  /** The TCP host to hand frameworks that want one; null for a unix socket. */
  readonly host: string | null;
  /**
   * Closes this process's descriptor. Only for a socket handed to a child (which has its own copy): a server
   * in this process listening on the fd closes it itself, and a second close could hit a reused fd number.
   */
  close(): void;
}

/**
 * Binds 127.0.0.1 on a free port, or the unix socket `path`, for a server to listen on (in this process, or
 * in a child that inherits the fd).
 */
export function bindSocket(path?: string): BoundSocket {
  const create = (net as unknown as { _createServerHandle: Create })._createServerHandle;
  const handle = path ? create(path, -1, -1) : create('127.0.0.1', 0, 4);
  if (typeof handle === 'number') throw new Error(`bind failed: ${getSystemErrorName(handle)}`);
  const close = () => handle.close();
  if (path) return { fd: handle.fd, url: `unix:${path}`, host: null, close };
  const out: { port?: number } = {};
  handle.getsockname?.(out);
  return { fd: handle.fd, url: `http://127.0.0.1:${out.port}`, host: '127.0.0.1', close };
}
