/**
 * Parsing of `--bind` values, gunicorn's forms: `HOST:PORT`, `HOST` (port 8000), `[IPv6]:PORT`, `unix:PATH`,
 * `unix://PATH`, `fd://N`, with an optional `tcp://` prefix.
 */
import { isIP } from 'node:net';
import { SettingValueError } from '../settings/types.js';

/** A TCP address; `host` may be a name (`localhost`) that resolves when the socket is bound. */
export interface TcpAddress {
  readonly kind: 'tcp';
  readonly host: string;
  readonly port: number;
}
/** A unix domain socket path. */
export interface UnixAddress {
  readonly kind: 'unix';
  readonly path: string;
}
/** An already-open listening socket inherited from the parent process. */
export interface FdAddress {
  readonly kind: 'fd';
  readonly fd: number;
}
/** One parsed `--bind` value. */
export type BindAddress = TcpAddress | UnixAddress | FdAddress;

/** Parses one `--bind` value; throws {@link SettingValueError} with gunicorn's wording on bad input. */
export function parseAddress(raw: string): BindAddress {
  let v = raw.trim();
  if (v.startsWith('unix://')) return unix(v.slice(7), raw);
  if (v.startsWith('unix:')) return unix(v.slice(5), raw);
  if (v.startsWith('fd://')) {
    const n = v.slice(5);
    if (!/^\d+$/.test(n)) throw new SettingValueError(`'${n}' is not a valid file descriptor.`);
    return { kind: 'fd', fd: Number(n) };
  }
  if (v.startsWith('tcp://')) v = v.slice(6);
  if (v === '') return { kind: 'tcp', host: '0.0.0.0', port: 8000 };
  let host: string;
  let portText: string | undefined;
  if (v.startsWith('[')) {
    const end = v.indexOf(']');
    if (end < 0) throw new SettingValueError(`'${raw}' has an unclosed '['`);
    host = v.slice(1, end);
    if (isIP(host) !== 6) throw new SettingValueError(`'${host}' is not a valid IPv6 address.`);
    const rest = v.slice(end + 1);
    if (rest !== '' && !rest.startsWith(':')) throw new SettingValueError(`'${raw}' is not a valid address.`);
    portText = rest === '' ? undefined : rest.slice(1);
  } else {
    const colons = v.split(':').length - 1;
    if (colons > 1) {
      // A bare IPv6 literal without brackets has no port.
      if (isIP(v) !== 6) throw new SettingValueError(`'${raw}' is not a valid address; write IPv6 as [addr]:port.`);
      host = v;
    } else {
      const i = v.lastIndexOf(':');
      host = i < 0 ? v : v.slice(0, i);
      portText = i < 0 ? undefined : v.slice(i + 1);
    }
  }
  host = host.toLowerCase() || '0.0.0.0';
  if (!/^[a-z0-9.:_-]+$/.test(host)) throw new SettingValueError(`'${host}' is not a valid host name.`);
  const port = portText === undefined ? 8000 : Number(portText);
  if (portText !== undefined && (!/^\d+$/.test(portText) || port > 65535)) {
    throw new SettingValueError(`'${portText}' is not a valid port number.`);
  }
  return { kind: 'tcp', host, port };
}

function unix(path: string, raw: string): UnixAddress {
  if (path === '') throw new SettingValueError(`'${raw}' names no socket path.`);
  return { kind: 'unix', path };
}

/** The address as `Listening at:` shows it: `http://127.0.0.1:8000`, `http://[::1]:8000`, `unix:/run/x.sock`. */
export function formatAddress(addr: BindAddress, tls = false): string {
  switch (addr.kind) {
    case 'unix':
      return `unix:${addr.path}`;
    case 'fd':
      return `fd://${addr.fd}`;
    case 'tcp': {
      const host = isIP(addr.host) === 6 ? `[${addr.host}]` : addr.host;
      return `${tls ? 'https' : 'http'}://${host}:${addr.port}`;
    }
  }
}
