/**
 * Sending log lines to syslog, as gunicorn's `--log-syslog`: RFC 3164-style lines
 * `<PRI>Mmm dd hh:mm:ss HOST tgun.<prefix>.<error|access>: [pid] message` over UDP, TCP (one line per
 * message, LF-terminated) or a unix socket (`/dev/log` is a datagram socket; `#stream` picks a stream one).
 * Local sockets get no HOST field, as syslog(3) sends none. Sending never throws and never blocks a request:
 * a daemon that is down loses lines, it does not stop the server.
 *
 * `node:dgram` has no unix datagram sockets, so that transport uses the `unix-dgram` addon (an optional
 * dependency, loaded only when such an address is configured).
 */
import { createSocket } from 'node:dgram';
import { createRequire } from 'node:module';
import { connect, isIPv6, type Socket } from 'node:net';
import { hostname } from 'node:os';
import type { LogLevel } from './types.js';

/** Facility codes, syslog(3)'s numbering. */
const FACILITY: Readonly<Record<string, number>> = {
  kern: 0,
  user: 1,
  mail: 2,
  daemon: 3,
  auth: 4,
  syslog: 5,
  lpr: 6,
  news: 7,
  uucp: 8,
  cron: 9,
  authpriv: 10,
  ftp: 11,
  security: 4,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
};

/** Severities for tgun's levels; access lines are sent at `info`. */
const SEVERITY: Readonly<Record<LogLevel, number>> = { debug: 7, info: 6, warning: 4, error: 3, critical: 2 };

/** A parsed `syslogAddr`. */
export type SyslogAddress =
  | { readonly transport: 'udp' | 'tcp'; readonly host: string; readonly port: number }
  | { readonly transport: 'unix-dgram' | 'unix-stream'; readonly path: string };

/** Parses `udp://HOST:PORT`, `tcp://HOST:PORT`, `unix://PATH[#dgram|#stream]`; the port defaults to 514. */
export function parseSyslogAddress(value: string): SyslogAddress {
  const m = /^(udp|tcp|unix):\/\/(.+)$/i.exec(value.trim());
  if (!m) throw new Error(`syslog address ${JSON.stringify(value)}: expected udp://, tcp:// or unix://`);
  const scheme = (m[1] as string).toLowerCase();
  const rest = m[2] as string;
  if (scheme === 'unix') {
    const [path = '', kind = 'dgram'] = rest.split('#');
    return { transport: kind.toLowerCase() === 'stream' ? 'unix-stream' : 'unix-dgram', path };
  }
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  const [host, port] = bracket
    ? [bracket[1] as string, bracket[2]]
    : isIPv6(rest)
      ? [rest, undefined]
      : rest.includes(':')
        ? [rest.slice(0, rest.lastIndexOf(':')), rest.slice(rest.lastIndexOf(':') + 1)]
        : [rest, undefined];
  return { transport: scheme as 'udp' | 'tcp', host, port: port === undefined ? 514 : Number(port) };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 3164's TIMESTAMP: `Mmm dd hh:mm:ss`, local time, the day space-padded. */
export function syslogTimestamp(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const day = String(d.getDate()).padStart(2, ' ');
  return `${MONTHS[d.getMonth()]} ${day} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** What {@link createSyslog} needs. */
export interface SyslogOptions {
  readonly address: string;
  readonly facility: string;
  /** The program name's middle part: `tgun.<prefix>.error`. */
  readonly prefix: string;
  /** Told once about the first send failure. */
  readonly onError?: (error: Error) => void;
}

/** An open syslog destination. */
export interface Syslog {
  /** Sends one message from the `error` or `access` logger at `level`. */
  send(logger: 'error' | 'access', level: LogLevel, message: string): void;
  close(): void;
}

type Transport = { send(packet: Buffer): void; close(): void };

interface UnixDgramSocket {
  on(event: 'error', listener: (err: Error) => void): void;
  send(buf: Buffer, offset: number, length: number, path: string, cb?: (err?: Error) => void): void;
  close(): void;
}

function unixDgram(path: string, fail: (e: Error) => void): Transport {
  let mod: { createSocket(type: 'unix_dgram'): UnixDgramSocket };
  try {
    mod = createRequire(import.meta.url)('unix-dgram');
  } catch (err) {
    throw new Error(
      `syslog to a unix datagram socket needs the optional 'unix-dgram' package, which did not load: ${(err as Error).message}`,
    );
  }
  const socket = mod.createSocket('unix_dgram');
  socket.on('error', fail);
  return { send: (p) => socket.send(p, 0, p.length, path, (e) => e && fail(e)), close: () => socket.close() };
}

function udp(host: string, port: number, fail: (e: Error) => void): Transport {
  const socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
  socket.on('error', fail);
  socket.unref();
  return { send: (p) => socket.send(p, port, host, (e) => e && fail(e)), close: () => socket.close() };
}

/** A stream connection made on first use and again after it drops; lines sent while it is down are lost. */
function stream(target: { host: string; port: number } | { path: string }, fail: (e: Error) => void): Transport {
  let socket: Socket | null = null;
  let closed = false;
  const open = (): Socket => {
    const s = 'path' in target ? connect(target.path) : connect(target.port, target.host);
    s.unref();
    s.on('error', (e) => {
      fail(e);
      s.destroy();
    });
    s.on('close', () => {
      if (socket === s) socket = null;
    });
    return s;
  };
  return {
    send(p) {
      if (closed) return;
      socket ??= open();
      socket.write(p);
    },
    close() {
      closed = true;
      socket?.end();
    },
  };
}

/** Opens the syslog destination. Throws only when the address cannot be used at all. */
export function createSyslog(options: SyslogOptions): Syslog {
  const address = parseSyslogAddress(options.address);
  let reported = false;
  const fail = (e: Error) => {
    if (reported) return;
    reported = true;
    options.onError?.(e);
  };
  const transport: Transport =
    'host' in address
      ? address.transport === 'udp'
        ? udp(address.host, address.port, fail)
        : stream(address, fail)
      : address.transport === 'unix-stream'
        ? stream(address, fail)
        : unixDgram(address.path, fail);
  const facility = FACILITY[options.facility] ?? 1;
  const host = address.transport === 'udp' || address.transport === 'tcp' ? `${hostname()} ` : '';
  const framed = address.transport === 'tcp' || address.transport === 'unix-stream';
  const tag = `tgun.${options.prefix.replaceAll(':', '.')}`;
  return {
    send(logger, level, message) {
      const pri = facility * 8 + SEVERITY[level];
      const line = `<${pri}>${syslogTimestamp(new Date())} ${host}${tag}.${logger}: [${process.pid}] ${message}`;
      try {
        transport.send(Buffer.from(framed ? `${line}\n` : line));
      } catch (e) {
        fail(e as Error);
      }
    },
    close: () => transport.close(),
  };
}
