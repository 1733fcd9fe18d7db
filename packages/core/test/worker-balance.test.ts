import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { targetOptions } from '../src/testing/http.js';
import { noLeftovers, spawnTgun, type TgunHandle } from '../src/testing/spawn-tgun.js';
import { until } from '../src/testing/until.js';
import { fairShareLimit } from '../src/worker/balance.js';

const APP = join(import.meta.dirname, 'fixtures', 'pid-app.mjs');
const marks: string[] = [];
afterAll(async () => {
  await noLeftovers(marks);
});

/** A held keep-alive connection that sends one request; `pid` is the answering worker, once it answered. */
interface Held {
  readonly socket: Socket;
  pid: number | null;
}

function hold(port: number): Held {
  const socket = connect(port, '127.0.0.1');
  const held: Held = { socket, pid: null };
  let text = '';
  socket.on('data', (d) => {
    text += d.toString('latin1');
    const m = /^HTTP\/1\.1 200[\s\S]*?\r\n\r\n(?:[0-9a-f]+\r\n)?(\d+)(?:\r\n0\r\n\r\n)?$/.exec(text);
    if (m?.[1]) held.pid = Number(m[1]);
  });
  socket.on('error', () => {});
  // pid-app answers chunked (writeHead, then end), plain bodies are accepted too.
  socket.write('GET / HTTP/1.1\r\nHost: t\r\n\r\n');
  return held;
}

function perWorker(conns: readonly Held[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const c of conns) if (c.pid !== null) counts.set(c.pid, (counts.get(c.pid) ?? 0) + 1);
  return counts;
}

const answered = (conns: readonly Held[]) => conns.filter((c) => c.pid !== null).length;

async function start(extra: readonly string[]): Promise<{ tgun: TgunHandle; port: number }> {
  const args = ['-w', '2', '--keep-alive', '60', '--log-level', 'debug', ...extra, '-b', '127.0.0.1:0', APP];
  const tgun = await spawnTgun(args);
  marks.push(tgun.mark);
  const { port } = targetOptions(tgun.url);
  if (port === undefined) throw new Error('no port');
  return { tgun, port };
}

/** Both workers have heard from the arbiter that they share the load (before that, neither pauses). */
async function bothBalancing(tgun: TgunHandle): Promise<void> {
  await until(
    'both workers balancing',
    () => tgun.logs().match(/Connection balance: 2 accepting workers/g)?.length === 2,
  );
}

describe('--connection-balance', () => {
  it('fair-share: a burst of 60 held connections never puts more than the fair share on one worker', async () => {
    const { tgun, port } = await start(['--connection-balance', 'fair-share']);
    await using _ = tgun;
    await bothBalancing(tgun);
    const conns = Array.from({ length: 60 }, () => hold(port));
    await until('every connection answered', () => answered(conns) === 60);
    const counts = perWorker(conns);
    // 61: spawnTgun's start-up probe may still be open on one worker; it counts toward that worker's share.
    const limit = fairShareLimit(61, 2);
    console.log(`--connection-balance fair-share, 60 connections over 2 workers: ${[...counts.values()].join('/')}`);
    expect(counts.size).toBe(2);
    for (const [pid, n] of counts) expect(n, `worker ${pid}`).toBeLessThanOrEqual(limit);
    for (const c of conns) c.socket.destroy();
  });

  it('fair-share works together with the --worker-connections cap', async () => {
    const { tgun, port } = await start(['--connection-balance', 'fair-share', '--worker-connections', '10']);
    await using _ = tgun;
    await bothBalancing(tgun);
    const conns = Array.from({ length: 30 }, () => hold(port));
    await until('both workers at their cap', () => answered(conns) === 20);
    for (const n of perWorker(conns).values()) expect(n).toBeLessThanOrEqual(10);
    // Freeing five connections lets five waiting ones in; freeing the rest lets everyone in.
    const first = conns.filter((c) => c.pid !== null).slice(0, 5);
    for (const c of first) c.socket.destroy();
    await until('five more answered', () => answered(conns) >= 25);
    const open = conns.filter((c) => !first.includes(c));
    for (const n of perWorker(open).values()) expect(n).toBeLessThanOrEqual(10);
    for (const c of open.filter((c) => c.pid !== null)) c.socket.destroy();
    await until('every connection answered', () => answered(conns) === 30);
    for (const c of conns) c.socket.destroy();
  });

  it('off: the split is left to the kernel (recorded, not asserted)', async () => {
    const { tgun, port } = await start(['--connection-balance', 'off']);
    await using _ = tgun;
    const conns = Array.from({ length: 60 }, () => hold(port));
    await until('every connection answered', () => answered(conns) === 60);
    const split = [...perWorker(conns).values()].sort((a, b) => b - a);
    console.log(`--connection-balance off, 60 connections over 2 workers: ${split.join('/')}`);
    expect(split.reduce((a, b) => a + b, 0)).toBe(60);
    expect(tgun.logs()).not.toMatch(/Connection balance:/);
    for (const c of conns) c.socket.destroy();
  });
});
