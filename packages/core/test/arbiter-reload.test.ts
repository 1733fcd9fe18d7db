import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPid } from '../src/arbiter/pidfile.js';
import { request } from '../src/testing/http.js';
import { startLoad } from '../src/testing/load.js';
import { isRunning } from '../src/testing/processes.js';
import { noLeftovers, spawnTgun } from '../src/testing/spawn-tgun.js';
import { until } from '../src/testing/until.js';

const APP = join(import.meta.dirname, 'fixtures', 'pid-app.mjs');
const dir = mkdtempSync(join(tmpdir(), 'tgun-reload-'));
const marks: string[] = [];

afterAll(async () => {
  await noLeftovers(marks);
  rmSync(dir, { recursive: true, force: true });
});

const bootedPids = (logs: string) => [...logs.matchAll(/Booting worker with pid: (\d+)/g)].map((m) => Number(m[1]));

describe('zero-downtime reloads under load', () => {
  it('HUP twice in a row replaces every worker with no failed request', async () => {
    await using tgun = await spawnTgun(['-w', '2', '-b', '127.0.0.1:0', APP]);
    marks.push(tgun.mark);
    await until('2 workers', () => bootedPids(tgun.logs()).length === 2);
    const first = tgun.workerPids();
    const load = startLoad(tgun.url);
    await until('traffic', () => load.stats.ok > 50);
    tgun.signal('SIGHUP');
    // The kernel merges a signal sent while the same one is pending; send the second once the first is
    // being handled, so it arrives during the reload and has to wait its turn.
    await tgun.waitForLog(/Hang up: Master/);
    tgun.signal('SIGHUP');
    await until('two reloads', () => bootedPids(tgun.logs()).length === 6);
    const last = bootedPids(tgun.logs()).slice(-2);
    await until('only the newest workers left', () => {
      const now = tgun.workerPids().sort();
      return now.length === 2 && now.every((p) => last.includes(p));
    });
    const served = load.stats.ok;
    await until('traffic after the reloads', () => load.stats.ok > served + 50);
    const stats = await load.stop();
    expect(stats.errors).toEqual([]);
    expect(stats.failed).toBe(0);
    expect(stats.ok).toBe(stats.sent);
    expect(tgun.logs().match(/Handling signal: hup/g)).toHaveLength(2);
    for (const pid of [...first, ...last]) expect(stats.pids.has(String(pid))).toBe(true);
  });

  it('a rolling reload replaces workers one at a time with no failed request', async () => {
    await using tgun = await spawnTgun(['-w', '3', '-b', '127.0.0.1:0', '--reload-strategy', 'rolling', APP]);
    marks.push(tgun.mark);
    await until('3 workers', () => bootedPids(tgun.logs()).length === 3);
    const load = startLoad(tgun.url);
    await until('traffic', () => load.stats.ok > 50);
    let most = 0;
    const watch = setInterval(() => {
      most = Math.max(most, tgun.workerPids().length);
    }, 20);
    tgun.signal('SIGHUP');
    await until('all replaced', () => bootedPids(tgun.logs()).length === 6);
    const fresh = bootedPids(tgun.logs()).slice(3);
    await until('only new workers', () => tgun.workerPids().every((p) => fresh.includes(p)));
    clearInterval(watch);
    const served = load.stats.ok;
    await until('traffic after the reload', () => load.stats.ok > served + 50);
    const stats = await load.stop();
    expect(stats.errors).toEqual([]);
    expect(stats.failed).toBe(0);
    // One at a time: never more than one extra worker alive.
    expect(most).toBeLessThanOrEqual(4);
    expect(tgun.workerPids()).toHaveLength(3);
  });

  it('USR2 → WINCH → TERM upgrades the master with no failed request', async () => {
    const pidfile = join(dir, 'usr2.pid');
    const tgun = await spawnTgun(['-w', '2', '-b', '127.0.0.1:0', '-p', pidfile, APP]);
    marks.push(tgun.mark);
    await until('2 workers', () => bootedPids(tgun.logs()).length === 2);
    expect(readPid(pidfile)).toBe(tgun.pid);
    const load = startLoad(tgun.url);
    await until('traffic', () => load.stats.ok > 50);

    const from = tgun.logs().length;
    tgun.signal('SIGUSR2');
    const started = await tgun.waitForLog(/\[(\d+)\] \[INFO\] Starting tgun/, { from });
    const next = Number(started[1]);
    expect(next).not.toBe(tgun.pid);
    await until('pidfiles swapped', () => readPid(`${pidfile}.oldbin`) === tgun.pid && readPid(pidfile) === next);
    // Both masters serve the same socket; wait until the new master's workers answer.
    await until('new workers serving', () => tgun.workerPids(next).some((p) => load.stats.pids.has(String(p))));

    tgun.signal('SIGWINCH');
    await until('old workers gone', () => tgun.workerPids().length === 0);
    expect(tgun.logs()).toContain('graceful stop of workers');
    tgun.signal('SIGTERM');
    expect(await tgun.exited).toEqual({ code: 0, signal: null });
    await tgun.waitForLog(/Master has been promoted\./, { from });
    await until('pidfile restored', () => readPid(pidfile) === next && !existsSync(`${pidfile}.oldbin`));

    const served = load.stats.ok;
    await until('traffic after the upgrade', () => load.stats.ok > served + 50);
    const stats = await load.stop();
    expect(stats.errors).toEqual([]);
    expect(stats.failed).toBe(0);

    process.kill(next, 'SIGTERM');
    await until('new master stopped', () => !isRunning(next));
    expect(existsSync(pidfile)).toBe(false);
  });
});

describe('USR2 roll-back', () => {
  it('HUP to the old master and TERM to the new one go back to the old master and pidfile', async () => {
    const pidfile = join(dir, 'rollback.pid');
    await using tgun = await spawnTgun(['-w', '1', '-b', '127.0.0.1:0', '-p', pidfile, APP]);
    marks.push(tgun.mark);
    const from = tgun.logs().length;
    tgun.signal('SIGUSR2');
    const next = Number((await tgun.waitForLog(/\[(\d+)\] \[INFO\] Starting tgun/, { from }))[1]);
    await until('new master serving', () => readPid(pidfile) === next && tgun.workerPids(next).length === 1);
    tgun.signal('SIGUSR2', next);
    await tgun.waitForLog(/USR2 signal ignored\. Parent exists\./, { from });
    tgun.signal('SIGUSR2');
    await tgun.waitForLog(/USR2 signal ignored\. Child exists\./, { from });
    tgun.signal('SIGWINCH');
    await until('old workers gone', () => tgun.workerPids().length === 0);
    tgun.signal('SIGHUP');
    await until('old master serving again', () => tgun.workerPids().length === 1);
    process.kill(next, 'SIGTERM');
    await until('new master gone', () => !isRunning(next));
    await until('pidfile back', () => readPid(pidfile) === tgun.pid && !existsSync(`${pidfile}.oldbin`));
    await tgun.waitForLog(/New master \(pid:\d+\) exited with code 0; this master keeps serving\./, { from });
  });

  it('the old master leaves a shared unix socket file to the new master', async () => {
    const sock = join(dir, 'handover.sock');
    const tgun = await spawnTgun(['-w', '1', '-b', `unix:${sock}`, APP]);
    marks.push(tgun.mark);
    const from = tgun.logs().length;
    tgun.signal('SIGUSR2');
    const next = Number((await tgun.waitForLog(/\[(\d+)\] \[INFO\] Starting tgun/, { from }))[1]);
    await until('new workers', () => tgun.workerPids(next).length === 1);
    tgun.signal('SIGTERM');
    expect((await tgun.exited).code).toBe(0);
    await tgun.waitForLog(/Master has been promoted\./, { from });
    expect(existsSync(sock)).toBe(true);
    const res = await request(`unix:${sock}`);
    expect(tgun.workerPids(next)).toContain(Number(res.body));
    process.kill(next, 'SIGTERM');
    await until('new master gone', () => !isRunning(next));
    expect(existsSync(sock)).toBe(false);
  });
});
