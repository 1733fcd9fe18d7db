/**
 * A fire-and-forget StatsD client over UDP with gunicorn's metric names and wire format
 * (`gunicorn/instrument/statsd.py`), so existing dashboards keep working:
 *
 * | metric | wire | sent by |
 * |---|---|---|
 * | `gunicorn.requests` | `:1\|c\|@1.0` | {@link StatsdClient.request}, every request |
 * | `gunicorn.request.duration` | `:<ms>\|ms` (float ms) | {@link StatsdClient.request} |
 * | `gunicorn.request.status.<code>` | `:1\|c\|@1.0` | {@link StatsdClient.request} |
 * | `gunicorn.workers` | `:<n>\|g` | {@link StatsdClient.workers}, when the arbiter's worker count changes |
 * | `gunicorn.log.<level>` | `:1\|c\|@1.0` | {@link StatsdClient.log}, for critical, error, warning, exception |
 *
 * Each name is preceded by `statsd_prefix` (one trailing `.` added) and followed by `|#<dogstatsd_tags>` when
 * tags are set. The host is resolved once, at creation. No method ever throws: send failures go to `onError`.
 *
 * Only UDP is supported. gunicorn also accepts `unix://PATH` for a unix *datagram* socket, but `node:dgram` has
 * no unix-domain sockets and `node:net` only does streams, so there is no pure-JS way to reach a DogStatsD
 * socket; {@link parseStatsdHost} rejects it with a message saying so.
 */
import { createSocket, type Socket as DgramSocket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIPv6 } from 'node:net';

/** Default StatsD port, as gunicorn's `statsd_host` validator. */
export const STATSD_DEFAULT_PORT = 8125;

/** Thrown by {@link parseStatsdHost} for a value tgun cannot use. */
export class StatsdConfigError extends Error {
  override name = 'StatsdConfigError';
}

/** A `statsd_host` value split into host and port. */
export interface StatsdTarget {
  readonly host: string;
  readonly port: number;
}

/**
 * Parses `statsd_host`: `HOST`, `HOST:PORT`, `[IPv6]:PORT` or a bare IPv6 address; the port defaults to 8125.
 * `unix:8125` is the host `unix` on port 8125, as gunicorn reads it. `unix://PATH` throws {@link StatsdConfigError}.
 */
export function parseStatsdHost(value: string): StatsdTarget {
  const v = value.trim();
  if (v.startsWith('unix://') || v.startsWith('unix:/')) {
    throw new StatsdConfigError(
      `statsd_host '${v}': unix datagram sockets are not supported (Node's dgram module is UDP-only); ` +
        'use HOST:PORT, e.g. a DogStatsD agent listening on UDP 127.0.0.1:8125',
    );
  }
  let host = v;
  let portText: string | undefined;
  if (v.startsWith('[')) {
    const close = v.indexOf(']');
    if (close === -1) throw new StatsdConfigError(`statsd_host '${v}': missing ']'`);
    host = v.slice(1, close);
    const rest = v.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) throw new StatsdConfigError(`statsd_host '${v}': expected ':' after ']'`);
    portText = rest === '' ? undefined : rest.slice(1);
  } else if (!isIPv6(v) && v.includes(':')) {
    const colon = v.lastIndexOf(':');
    host = v.slice(0, colon);
    portText = v.slice(colon + 1);
  }
  if (host === '') throw new StatsdConfigError(`statsd_host '${v}': empty host`);
  const port = portText === undefined ? STATSD_DEFAULT_PORT : /^\d{1,5}$/.test(portText) ? Number(portText) : -1;
  if (!(port >= 1 && port <= 65535)) throw new StatsdConfigError(`statsd_host '${v}': invalid port '${portText}'`);
  return { host, port };
}

/** gunicorn's `statsd_prefix` rule: a non-empty prefix ends with exactly one `.`. */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/\.+$/, '');
  return trimmed === '' ? '' : `${trimmed}.`;
}

/** Python prints floats with a `.0` when whole (`1.0`, `12.0`); StatsD servers accept both, dashboards match text. */
function pyFloat(n: number): string {
  return Number.isInteger(n) ? n.toFixed(1) : String(n);
}

/** Options for {@link createStatsd}. */
export interface StatsdOptions {
  /** `statsd_host`, parsed by {@link parseStatsdHost}. */
  readonly host: string;
  /** `statsd_prefix`; a trailing `.` is added. */
  readonly prefix?: string;
  /** `dogstatsd_tags`, e.g. `env:prod,team:web`; appended as `|#…`. */
  readonly tags?: string;
  /** Name segment before each metric; gunicorn's `gunicorn` by default, so existing dashboards match. */
  readonly namespace?: string;
  /** Told about resolution and send failures (never thrown). Rate-limit in the logger if needed. */
  readonly onError?: (error: Error) => void;
}

/** Error-log levels gunicorn counts as `log.<level>` metrics. */
export type CountedLogLevel = 'critical' | 'error' | 'warning' | 'exception';

/** The client. Create it with {@link createStatsd}. */
export class StatsdClient {
  readonly #socket: DgramSocket | undefined;
  readonly #address: string;
  readonly #port: number;
  readonly #prefix: string;
  readonly #suffix: string;
  readonly #onError: (error: Error) => void;
  #closed = false;
  readonly #sent = (error: Error | null): void => {
    if (error) this.#onError(error);
  };

  /** @internal Use {@link createStatsd}; `socket` is undefined when the host did not resolve. */
  constructor(socket: DgramSocket | undefined, address: string, port: number, options: StatsdOptions) {
    this.#socket = socket;
    this.#address = address;
    this.#port = port;
    const namespace = options.namespace ?? 'gunicorn';
    this.#prefix = normalizePrefix(options.prefix ?? '') + (namespace === '' ? '' : `${namespace}.`);
    this.#suffix = options.tags ? `|#${options.tags}` : '';
    this.#onError = options.onError ?? (() => {});
  }

  /** Whether packets are being sent (false when the host did not resolve or after {@link StatsdClient.close}). */
  get active(): boolean {
    return this.#socket !== undefined && !this.#closed;
  }

  /** Sends one raw metric line: `<prefix><namespace>.<name>:<value>|<type>[|#tags]`. */
  send(name: string, valueAndType: string): void {
    if (this.#socket === undefined || this.#closed) return;
    try {
      this.#socket.send(`${this.#prefix}${name}:${valueAndType}${this.#suffix}`, this.#port, this.#address, this.#sent);
    } catch (error) {
      this.#onError(error as Error);
    }
  }

  /** Counter: `name:value|c|@rate`. */
  increment(name: string, value = 1, sampleRate = 1): void {
    this.send(name, `${value}|c|@${pyFloat(sampleRate)}`);
  }

  /** Counter decrement, as gunicorn's `decrement`. */
  decrement(name: string, value = 1, sampleRate = 1): void {
    this.send(name, `${-value}|c|@${pyFloat(sampleRate)}`);
  }

  /** Gauge: `name:value|g`. */
  gauge(name: string, value: number): void {
    this.send(name, `${value}|g`);
  }

  /** Timer: `name:value|ms` (gunicorn calls this `histogram`). */
  histogram(name: string, ms: number): void {
    this.send(name, `${pyFloat(ms)}|ms`);
  }

  /** The three per-request metrics gunicorn sends from `access()`, in its order. */
  request(status: number, durationMs: number): void {
    this.histogram('request.duration', durationMs);
    this.increment('requests');
    this.increment(`request.status.${status}`);
  }

  /** `workers` gauge, sent by the arbiter when the worker count changes. */
  workers(count: number): void {
    this.gauge('workers', count);
  }

  /** `log.<level>` counter for one error-log call at a counted level. */
  log(level: CountedLogLevel): void {
    this.increment(`log.${level}`);
  }

  /** Closes the socket; later calls are dropped silently. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#socket?.close();
  }
}

/**
 * Resolves `options.host` once and opens an unreferenced UDP socket (it never keeps a process alive). Throws only
 * {@link StatsdConfigError} for a malformed host; a name that does not resolve is reported to `onError` and gives
 * an inactive client that drops metrics, as gunicorn does when its socket cannot connect.
 */
export async function createStatsd(options: StatsdOptions): Promise<StatsdClient> {
  const target = parseStatsdHost(options.host);
  let resolved: { address: string; family: number };
  try {
    resolved = await lookup(target.host);
  } catch (error) {
    options.onError?.(new Error(`statsd_host '${target.host}' did not resolve: ${(error as Error).message}`));
    return new StatsdClient(undefined, '', 0, options);
  }
  const socket = createSocket(resolved.family === 6 ? 'udp6' : 'udp4');
  socket.on('error', (error) => options.onError?.(error));
  socket.unref();
  return new StatsdClient(socket, resolved.address, target.port, options);
}
