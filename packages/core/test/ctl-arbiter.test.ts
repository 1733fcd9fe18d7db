/** `tgun ctl` against the real arbiter with real workers, through the real `bin/tgun.js ctl`. */
import { existsSync, lstatSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConfigData, StatusData } from '../src/control/commands.js';
import { noLeftovers, spawnTgun } from '../src/testing/spawn-tgun.js';
import { canSwitchUser, runCtlProcess, tempDir } from './control-harness.js';

const APP = join(import.meta.dirname, 'fixtures', 'pid-app.mjs');
const marks: string[] = [];
afterAll(async () => {
  await noLeftovers(marks);
});

/** Whether a socket shows up at `path` soon after the arbiter is serving. */
async function socketAppears(path: string): Promise<boolean> {
  for (let i = 0; i < 40; i++) {
    try {
      if (lstatSync(path).isSocket()) return true;
    } catch {}
    await sleep(50);
  }
  return false;
}

/** What `--json` prints, for whichever command the test ran. */
type CtlJson = StatusData & ConfigData;

async function json(args: string[]): Promise<{ code: number | null; data: CtlJson }> {
  const r = await runCtlProcess([...args, '--json']);
  return { code: r.code, data: r.stdout ? JSON.parse(r.stdout) : null };
}

describe('tgun ctl against a real arbiter', () => {
  it('answers every command; scale and reload change the worker pids as TTIN/TTOU and HUP do', async () => {
    using dir = tempDir();
    const pidfile = join(dir.path, 'app.pid');
    const sock = join(dir.path, 'app.sock');
    await using tgun = await spawnTgun(['-w', '2', '-b', '127.0.0.1:0', '--pid', pidfile, APP]);
    marks.push(tgun.mark);
    expect(await socketAppears(sock)).toBe(true);
    const target = ['--pid', pidfile];

    const status = await json([...target, 'status']);
    expect(status.code).toBe(0);
    expect(status.data.arbiter.pid).toBe(tgun.pid);
    expect(status.data.arbiter.socket).toBe(sock);
    await expect
      .poll(async () => (await json([...target, 'workers'])).data.workers.map((w: { pid: number }) => w.pid).sort())
      .toEqual(tgun.workerPids().sort());
    const human = await runCtlProcess([...target, 'status']);
    expect(human.stdout).toMatch(new RegExp(`^arbiter\\s+pid ${tgun.pid}, tgun `, 'm'));
    for (const pid of tgun.workerPids()) expect(human.stdout).toMatch(new RegExp(`^\\s*${pid}\\s`, 'm'));
    const config = await json([...target, 'config']);
    expect(config.data.config.find((e: { name: string }) => e.name === 'workers')).toMatchObject({
      value: 2,
      layer: 'cli',
    });

    const before = tgun.workerPids();
    expect((await runCtlProcess([...target, 'scale', '+1'])).code).toBe(0);
    await expect.poll(() => tgun.workerPids().length, { timeout: 20_000 }).toBe(3);
    expect((await runCtlProcess([...target, 'scale', '2'])).code).toBe(0);
    await expect.poll(() => tgun.workerPids().length, { timeout: 20_000 }).toBe(2);
    // TTOU drains the oldest: one of the original workers is gone.
    expect(before.filter((p) => tgun.workerPids().includes(p))).toHaveLength(1);

    const mid = tgun.workerPids();
    expect((await runCtlProcess([...target, 'reload'])).code).toBe(0);
    await expect
      .poll(() => tgun.workerPids().length === 2 && tgun.workerPids().every((p) => !mid.includes(p)), {
        timeout: 30_000,
      })
      .toBe(true);
    expect(tgun.logs()).toContain('Handling signal: hup');

    expect((await runCtlProcess([...target, 'reopen-logs'])).code).toBe(0);
    await tgun.waitForLog(/Handling signal: usr1/);

    const runs = await Promise.all([1, 2, 3, 4].map(() => json([...target, 'status'])));
    for (const r of runs) expect(r.data.arbiter.pid).toBe(tgun.pid);

    const raw = await new Promise<{ text: string; closed: boolean }>((resolve) => {
      const s = createConnection(sock);
      let text = '';
      s.on('connect', () => s.write('not json\n{"cmd":"status"}\n'));
      s.on('data', (c) => {
        text += c.toString();
      });
      s.on('close', () => resolve({ text, closed: true }));
      s.on('error', () => {});
    });
    expect(raw.closed).toBe(true);
    expect(
      raw.text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toMatchObject([{ ok: false, error: { code: 'bad-json' } }]);

    expect((await runCtlProcess([...target, 'stop'])).stdout).toContain('queued TERM');
    expect(await tgun.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(sock)).toBe(false);
  });

  it("a killed arbiter's socket is reported, then replaced by the next arbiter", async () => {
    using dir = tempDir();
    const pidfile = join(dir.path, 'app.pid');
    const sock = join(dir.path, 'app.sock');
    const first = await spawnTgun(['-w', '1', '-b', '127.0.0.1:0', '--pid', pidfile, APP]);
    marks.push(first.mark);
    expect(await socketAppears(sock)).toBe(true);
    first.signal('SIGKILL');
    await first.exited;
    const dead = await runCtlProcess(['--pid', pidfile, 'status']);
    expect(dead.code).toBe(3);
    expect(dead.stderr).toContain(`the control socket ${sock} belongs to a dead arbiter`);
    await first[Symbol.asyncDispose]();

    await using second = await spawnTgun(['-w', '1', '-b', '127.0.0.1:0', '--pid', pidfile, APP]);
    marks.push(second.mark);
    await second.waitForLog(/Replaced the stale control socket/);
    expect((await json(['--pid', pidfile, 'status'])).data.arbiter.pid).toBe(second.pid);
  });

  it.runIf(canSwitchUser())('refuses another uid', async () => {
    using dir = tempDir();
    const pidfile = join(dir.path, 'app.pid');
    await using tgun = await spawnTgun(['-w', '1', '-b', '127.0.0.1:0', '--pid', pidfile, APP]);
    marks.push(tgun.mark);
    expect(await socketAppears(join(dir.path, 'app.sock'))).toBe(true);
    const r = await runCtlProcess(['--pid', pidfile, 'status'], { asNobody: true });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('permission denied');
  });
});
