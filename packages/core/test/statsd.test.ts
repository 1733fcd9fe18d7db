import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createStatsd,
  normalizePrefix,
  parseStatsdHost,
  StatsdConfigError,
  type StatsdClient,
  type StatsdOptions,
} from '../src/metrics/statsd.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A real StatsD-like receiver: a UDP socket that collects datagrams. */
async function receiver(type: 'udp4' | 'udp6' = 'udp4', host = '127.0.0.1') {
  const socket: Socket = createSocket(type);
  const packets: string[] = [];
  const waiters: Array<() => void> = [];
  socket.on('message', (msg) => {
    packets.push(msg.toString('ascii'));
    for (const w of waiters.splice(0)) w();
  });
  await new Promise<void>((resolve) => socket.bind(0, host, resolve));
  cleanups.push(() => socket.close());
  const port = socket.address().port;
  return {
    port,
    packets,
    async take(n: number): Promise<string[]> {
      while (packets.length < n) await new Promise<void>((r) => waiters.push(r));
      return packets.splice(0, n);
    },
  };
}

async function client(options: StatsdOptions): Promise<StatsdClient> {
  const c = await createStatsd(options);
  cleanups.push(() => c.close());
  return c;
}

describe('wire format', () => {
  it("sends gunicorn's per-request metrics in gunicorn's order", async () => {
    const r = await receiver();
    const c = await client({ host: `127.0.0.1:${r.port}` });
    c.request(200, 12.5);
    c.request(404, 3);
    expect(await r.take(6)).toEqual([
      'gunicorn.request.duration:12.5|ms',
      'gunicorn.requests:1|c|@1.0',
      'gunicorn.request.status.200:1|c|@1.0',
      'gunicorn.request.duration:3.0|ms',
      'gunicorn.requests:1|c|@1.0',
      'gunicorn.request.status.404:1|c|@1.0',
    ]);
  });

  it('sends the workers gauge and log-level counters', async () => {
    const r = await receiver();
    const c = await client({ host: `127.0.0.1:${r.port}` });
    c.workers(4);
    for (const level of ['critical', 'error', 'warning', 'exception'] as const) c.log(level);
    expect(await r.take(5)).toEqual([
      'gunicorn.workers:4|g',
      'gunicorn.log.critical:1|c|@1.0',
      'gunicorn.log.error:1|c|@1.0',
      'gunicorn.log.warning:1|c|@1.0',
      'gunicorn.log.exception:1|c|@1.0',
    ]);
  });

  it('adds the prefix with one dot, dogstatsd tags, and custom metrics', async () => {
    const r = await receiver();
    const c = await client({ host: `127.0.0.1:${r.port}`, prefix: 'myapp...', tags: 'env:prod,team:web' });
    c.increment('custom', 3, 0.5);
    c.decrement('custom');
    c.gauge('queue', 7);
    c.histogram('lat', 0.25);
    expect(await r.take(4)).toEqual([
      'myapp.gunicorn.custom:3|c|@0.5|#env:prod,team:web',
      'myapp.gunicorn.custom:-1|c|@1.0|#env:prod,team:web',
      'myapp.gunicorn.queue:7|g|#env:prod,team:web',
      'myapp.gunicorn.lat:0.25|ms|#env:prod,team:web',
    ]);
  });

  it('can drop the gunicorn namespace', async () => {
    const r = await receiver();
    const c = await client({ host: `127.0.0.1:${r.port}`, prefix: 'svc', namespace: '' });
    c.request(500, 1);
    expect(await r.take(3)).toEqual([
      'svc.request.duration:1.0|ms',
      'svc.requests:1|c|@1.0',
      'svc.request.status.500:1|c|@1.0',
    ]);
  });

  it('reaches an IPv6 receiver', async (ctx) => {
    let r: Awaited<ReturnType<typeof receiver>>;
    try {
      r = await receiver('udp6', '::1');
    } catch {
      return ctx.skip();
    }
    const c = await client({ host: `[::1]:${r.port}` });
    c.workers(2);
    expect(await r.take(1)).toEqual(['gunicorn.workers:2|g']);
  });

  it('resolves a host name once, at creation', async () => {
    const { address, family } = await lookup('localhost');
    const r = await receiver(family === 6 ? 'udp6' : 'udp4', address);
    const c = await client({ host: `localhost:${r.port}` });
    expect(c.active).toBe(true);
    c.workers(1);
    expect(await r.take(1)).toEqual(['gunicorn.workers:1|g']);
  });
});

describe('never throws into the caller', () => {
  it('reports an unresolvable host and drops metrics', async () => {
    const errors: Error[] = [];
    const c = await client({ host: 'no-such-host.invalid:8125', onError: (e) => errors.push(e) });
    expect(c.active).toBe(false);
    expect(() => c.request(200, 1)).not.toThrow();
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain('no-such-host.invalid');
  });

  it('drops silently after close', async () => {
    const r = await receiver();
    const errors: Error[] = [];
    const c = await client({ host: `127.0.0.1:${r.port}`, onError: (e) => errors.push(e) });
    c.close();
    expect(c.active).toBe(false);
    expect(() => c.request(200, 1)).not.toThrow();
    await new Promise((res) => setTimeout(res, 50));
    expect(r.packets).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe('configuration', () => {
  it('parses gunicorn statsd_host forms', () => {
    expect(parseStatsdHost('localhost')).toEqual({ host: 'localhost', port: 8125 });
    expect(parseStatsdHost('10.0.0.5:9125')).toEqual({ host: '10.0.0.5', port: 9125 });
    expect(parseStatsdHost('[::1]:9000')).toEqual({ host: '::1', port: 9000 });
    expect(parseStatsdHost('[::1]')).toEqual({ host: '::1', port: 8125 });
    expect(parseStatsdHost('::1')).toEqual({ host: '::1', port: 8125 });
    // gunicorn keeps `unix:PORT` meaning the host called "unix".
    expect(parseStatsdHost('unix:8125')).toEqual({ host: 'unix', port: 8125 });
  });

  it('rejects unix datagram sockets with a clear message, and bad ports', () => {
    expect(() => parseStatsdHost('unix:///var/run/statsd.sock')).toThrow(StatsdConfigError);
    expect(() => parseStatsdHost('unix:///var/run/statsd.sock')).toThrow(/UDP-only/);
    expect(() => parseStatsdHost('host:0')).toThrow(/invalid port/);
    expect(() => parseStatsdHost('host:http')).toThrow(/invalid port/);
    expect(() => parseStatsdHost(':8125')).toThrow(/empty host/);
  });

  it('normalises the prefix like gunicorn', () => {
    expect(normalizePrefix('')).toBe('');
    expect(normalizePrefix('app')).toBe('app.');
    expect(normalizePrefix('app.')).toBe('app.');
    expect(normalizePrefix('a.b..')).toBe('a.b.');
  });

  it('rejects a unix:// host from createStatsd too', async () => {
    await expect(createStatsd({ host: 'unix:///tmp/x.sock' })).rejects.toBeInstanceOf(StatsdConfigError);
  });
});
