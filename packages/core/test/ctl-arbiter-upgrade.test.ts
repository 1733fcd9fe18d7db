/**
 * The control socket through a rolling reload and a USR2 upgrade, against real arbiters: the old master steps
 * aside to `<socket>.oldbin`, the new one answers at the normal path, and the old takes the path back if the
 * new master goes away first.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StatusData } from '../src/control/commands.js';
import { isRunning } from '../src/testing/processes.js';
import { noLeftovers, spawnTgun } from '../src/testing/spawn-tgun.js';
import { runCtlProcess, tempDir } from './control-harness.js';

const APP = join(import.meta.dirname, 'fixtures', 'pid-app.mjs');
const marks: string[] = [];
afterAll(async () => {
  await noLeftovers(marks);
});

async function status(socket: string): Promise<StatusData | null> {
  const r = await runCtlProcess(['--socket', socket, 'status', '--json']);
  return r.code === 0 ? (JSON.parse(r.stdout) as StatusData) : null;
}

describe('tgun ctl across reloads and upgrades', () => {
  it('reload --rolling replaces every worker', async () => {
    using dir = tempDir();
    const pidfile = join(dir.path, 'app.pid');
    await using tgun = await spawnTgun(['-w', '2', '-b', '127.0.0.1:0', '--pid', pidfile, APP]);
    marks.push(tgun.mark);
    const sock = join(dir.path, 'app.sock');
    await expect.poll(() => existsSync(sock), { timeout: 10_000 }).toBe(true);
    const old = tgun.workerPids();
    const r = await runCtlProcess(['--socket', sock, 'reload', '--rolling']);
    expect(r.code).toBe(0);
    await tgun.waitForLog(/Rolling reload requested/);
    await expect
      .poll(() => tgun.workerPids().length === 2 && tgun.workerPids().every((p) => !old.includes(p)), {
        timeout: 30_000,
      })
      .toBe(true);
    const data = await status(sock);
    expect(data?.workers.map((w) => w.generation)).toEqual([1, 1]);
  });

  it('workers show their heartbeat stats, and a replacement for a killed worker counts one restart', async () => {
    using dir = tempDir();
    const sock = join(dir.path, 'ctl.sock');
    await using tgun = await spawnTgun(['-w', '2', '-b', '127.0.0.1:0', '--control-socket', sock, APP]);
    marks.push(tgun.mark);
    await expect
      .poll(async () => (await status(sock))?.workers.every((w) => w.rss !== null && w.state === 'ready'), {
        timeout: 20_000,
      })
      .toBe(true);
    const [victim, survivor] = tgun.workerPids();
    process.kill(victim as number, 'SIGKILL');
    await expect
      .poll(async () => (await status(sock))?.workers.map((w) => [w.pid === survivor, w.restarts]), { timeout: 20_000 })
      .toEqual([
        [true, 0],
        [false, 1],
      ]);
  });

  it('USR2 moves the old socket aside, and a roll-back moves it back', async () => {
    using dir = tempDir();
    const sock = join(dir.path, 'ctl.sock');
    await using tgun = await spawnTgun(['-w', '1', '-b', '127.0.0.1:0', '--control-socket', sock, APP]);
    marks.push(tgun.mark);
    await expect.poll(async () => (await status(sock))?.arbiter.pid, { timeout: 10_000 }).toBe(tgun.pid);

    const from = tgun.logs().length;
    tgun.signal('SIGUSR2');
    const next = Number((await tgun.waitForLog(/\[(\d+)\] \[INFO\] Starting tgun/, { from }))[1]);
    await expect.poll(async () => (await status(sock))?.arbiter.pid, { timeout: 20_000 }).toBe(next);
    const aside = await status(`${sock}.oldbin`);
    expect(aside?.arbiter.pid).toBe(tgun.pid);
    expect(aside?.arbiter.reexecChild).toBe(next);
    expect((await status(sock))?.arbiter.parentMaster).toBe(tgun.pid);

    process.kill(next, 'SIGTERM');
    await expect.poll(() => isRunning(next), { timeout: 20_000 }).toBe(false);
    await expect.poll(async () => (await status(sock))?.arbiter.pid, { timeout: 20_000 }).toBe(tgun.pid);
    expect(existsSync(`${sock}.oldbin`)).toBe(false);

    tgun.signal('SIGTERM');
    expect(await tgun.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(sock)).toBe(false);
  });
});
