/**
 * HUP re-applies the arbiter's side services: a changed `metricsBind`, `controlSocket` or StatsD target takes
 * effect without a restart, and a new value that cannot be used keeps the old service running.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { request } from '../src/testing/http.js';
import { noLeftovers, spawnTgun } from '../src/testing/spawn-tgun.js';
import { until } from '../src/testing/until.js';
import { runCtlProcess, tempDir } from './control-harness.js';

const APP = join(import.meta.dirname, 'fixtures', 'pid-app.mjs');
const marks: string[] = [];
afterAll(async () => {
  await noLeftovers(marks);
});

/** A TCP port that was free a moment ago (the arbiter binds it by number from a config file). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A port held open by this test, so the arbiter cannot bind it. */
async function heldPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

/** A UDP receiver collecting StatsD `workers` gauge lines. */
async function gaugeSink(): Promise<{ udp: UdpSocket; port: number; lines: string[] }> {
  const udp = createSocket('udp4');
  const lines: string[] = [];
  udp.on('message', (msg) => {
    for (const line of msg.toString().split('\n')) if (line.includes('.workers:')) lines.push(line);
  });
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  return { udp, port: udp.address().port, lines };
}

async function answers(url: string): Promise<number | string> {
  try {
    return (await request(url, '/healthz')).status;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? 'error';
  }
}

/** `tgun ctl --socket PATH status --json`: the pid of the arbiter that answered, or the exit code. */
async function ctlPid(socket: string): Promise<number | string> {
  const r = await runCtlProcess(['--socket', socket, 'status', '--json']);
  if (r.code !== 0) return `exit ${r.code}`;
  return (JSON.parse(r.stdout) as { arbiter: { pid: number } }).arbiter.pid;
}

function config(metrics: number, socket: string, statsd: number, prefix: string): string {
  return [
    `export const metricsBind = '127.0.0.1:${metrics}';`,
    `export const controlSocket = ${JSON.stringify(socket)};`,
    `export const statsdHost = '127.0.0.1:${statsd}';`,
    `export const statsdPrefix = '${prefix}';`,
    '',
  ].join('\n');
}

describe('HUP re-applies the side services', () => {
  it('moves the metrics endpoint, the control socket and the StatsD client, closing the old ones', async () => {
    using dir = tempDir();
    const cfg = join(dir.path, 'tgun.config.mjs');
    const [portA, portB] = [await freePort(), await freePort()];
    const [sockA, sockB] = [join(dir.path, 'a.sock'), join(dir.path, 'b.sock')];
    const [sinkA, sinkB] = [await gaugeSink(), await gaugeSink()];
    try {
      writeFileSync(cfg, config(portA, sockA, sinkA.port, 'one'));
      await using tgun = await spawnTgun(['-c', cfg, '-w', '1', '-b', '127.0.0.1:0', APP]);
      marks.push(tgun.mark);
      await tgun.waitForLog(/Control socket listening at .*a\.sock/);
      expect(await answers(`http://127.0.0.1:${portA}`)).toBe(200);
      expect(await ctlPid(sockA)).toBe(tgun.pid);
      await expect.poll(() => sinkA.lines.at(-1), { timeout: 20_000 }).toBe('one.gunicorn.workers:1|g');

      writeFileSync(cfg, config(portB, sockB, sinkB.port, 'two'));
      const from = tgun.logs().length;
      tgun.signal('SIGHUP');
      await tgun.waitForLog(/Closed the control socket at .*a\.sock/, { from });
      await tgun.waitForLog(/Closed the metrics endpoint at 127\.0\.0\.1:\d+/, { from });

      expect(await answers(`http://127.0.0.1:${portB}`)).toBe(200);
      expect(await answers(`http://127.0.0.1:${portA}`)).toBe('ECONNREFUSED');
      expect(await ctlPid(sockB)).toBe(tgun.pid);
      expect(existsSync(sockA)).toBe(false);
      // The new client sends the current count once it exists, with the new prefix, to the new host.
      await expect.poll(() => sinkB.lines.at(-1), { timeout: 20_000 }).toBe('two.gunicorn.workers:1|g');
      expect(sinkA.lines.every((l) => l.startsWith('one.'))).toBe(true);
      expect(tgun.logs().slice(from)).not.toMatch(/Could not/);

      tgun.signal('SIGTERM');
      expect(await tgun.exited).toEqual({ code: 0, signal: null });
      expect(existsSync(sockB)).toBe(false);
      expect(await answers(`http://127.0.0.1:${portB}`)).toBe('ECONNREFUSED');
    } finally {
      sinkA.udp.close();
      sinkB.udp.close();
    }
  });

  it('keeps the old endpoint and socket, and logs an error, when the new ones cannot be opened', async () => {
    using dir = tempDir();
    const cfg = join(dir.path, 'tgun.config.mjs');
    const portA = await freePort();
    const taken = await heldPort();
    const sockA = join(dir.path, 'a.sock');
    // A path under a regular file: no directory can be made there.
    const blocker = join(dir.path, 'not-a-dir');
    writeFileSync(blocker, '');
    const sink = await gaugeSink();
    try {
      writeFileSync(cfg, config(portA, sockA, sink.port, 'one'));
      await using tgun = await spawnTgun(['-c', cfg, '-w', '1', '-b', '127.0.0.1:0', APP]);
      marks.push(tgun.mark);
      await tgun.waitForLog(/Control socket listening at .*a\.sock/);
      const firstWorkers = tgun.workerPids();

      writeFileSync(cfg, config(taken.port, join(blocker, 'b.sock'), sink.port, 'one'));
      const from = tgun.logs().length;
      tgun.signal('SIGHUP');
      await tgun.waitForLog(/Could not serve metrics at 127\.0\.0\.1:\d+: .*keeping the endpoint at 127\.0\.0\.1:\d+/, {
        from,
      });
      await tgun.waitForLog(/Could not open the control socket .*not-a-dir.*keeping the control socket at .*a\.sock/, {
        from,
      });
      // The reload itself went on: the worker was replaced.
      await until('a new worker', () => {
        const now = tgun.workerPids();
        return now.length === 1 && !firstWorkers.includes(now[0] as number);
      });
      expect(await answers(`http://127.0.0.1:${portA}`)).toBe(200);
      expect(await ctlPid(sockA)).toBe(tgun.pid);
      expect(tgun.child.exitCode).toBe(null);

      tgun.signal('SIGTERM');
      expect(await tgun.exited).toEqual({ code: 0, signal: null });
      expect(existsSync(sockA)).toBe(false);
    } finally {
      sink.udp.close();
      await new Promise<void>((resolve) => taken.server.close(() => resolve()));
    }
  });
});
