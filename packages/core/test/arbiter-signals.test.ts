import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { request } from '../src/testing/http.js';
import { noLeftovers, spawnTgun } from '../src/testing/spawn-tgun.js';
import { until } from '../src/testing/until.js';

const APP = join(import.meta.dirname, 'fixtures', 'pid-app.mjs');
const dir = mkdtempSync(join(tmpdir(), 'tgun-signals-'));
const marks: string[] = [];

afterAll(async () => {
  await noLeftovers(marks);
  rmSync(dir, { recursive: true, force: true });
});

const readOr = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

describe('master signals', () => {
  it('TTIN adds a worker and TTOU removes the oldest, never below one', async () => {
    await using tgun = await spawnTgun(['-w', '2', '-b', '127.0.0.1:0', APP]);
    marks.push(tgun.mark);
    await until('2 workers', () => tgun.workerPids().length === 2);
    const original = tgun.workerPids().sort((a, b) => a - b);
    tgun.signal('SIGTTIN');
    await tgun.waitForLog(/Handling signal: ttin/);
    await until('3 workers', () => tgun.workerPids().length === 3);
    for (let i = 0; i < 3; i++) {
      const from = tgun.logs().length;
      tgun.signal('SIGTTOU');
      await tgun.waitForLog(/Handling signal: ttou/, { from });
    }
    await until('1 worker', () => tgun.workerPids().length === 1);
    await sleep(300);
    expect(tgun.workerPids()).toHaveLength(1);
    // The survivor is the youngest: TTOU stops the oldest first.
    expect(original).not.toContain(tgun.workerPids()[0]);
    expect((await request(tgun.url)).status).toBe(200);
  });

  it('TERM lets a slow in-flight request finish, then exits 0', async () => {
    const tgun = await spawnTgun(['-w', '1', '-b', '127.0.0.1:0', APP]);
    marks.push(tgun.mark);
    const slow = request(tgun.url, '/?ms=1500');
    await sleep(300);
    tgun.signal('SIGTERM');
    const res = await slow;
    expect(res.status).toBe(200);
    expect(res.headers.connection).toBe('close');
    expect(await tgun.exited).toEqual({ code: 0, signal: null });
    expect(tgun.logs()).toMatch(/Worker exiting \(pid: \d+\)[\s\S]*Shutting down: Master/);
  });

  it('INT exits promptly without waiting for in-flight requests', async () => {
    const tgun = await spawnTgun(['-w', '1', '-b', '127.0.0.1:0', '--graceful-timeout', '30', APP]);
    marks.push(tgun.mark);
    const slow = request(tgun.url, '/?ms=20000').then(
      (r) => `answered ${r.status}`,
      (e: Error) => `failed: ${e.message}`,
    );
    await sleep(300);
    tgun.signal('SIGINT');
    expect(await tgun.exited).toEqual({ code: 0, signal: null });
    // The master is gone while the 20 s request was still running: it was cut, not answered.
    expect(await slow).toMatch(/^failed/);
  });

  it('USR1 reopens the error log in the master and the workers', async () => {
    const log = join(dir, 'error.log');
    await using tgun = await spawnTgun(['-w', '1', '-b', '127.0.0.1:0', '--error-logfile', log, APP], {
      wait: 'none',
    });
    marks.push(tgun.mark);
    await until('log file', () => /Booting worker/.test(readOr(log)));
    renameSync(log, `${log}.1`);
    tgun.signal('SIGUSR1');
    await until('USR1 handled', () => /Handling signal: usr1/.test(readOr(`${log}.1`)));
    await sleep(200);
    // The master writes to the new file now.
    tgun.signal('SIGTTIN');
    await until('master line in the new file', () => /Handling signal: ttin/.test(readOr(log)));
    // The worker reopened too: its lines land in the new file.
    const worker = tgun.workerPids()[0] as number;
    tgun.signal('SIGTERM', worker);
    await until('worker line in the new file', () =>
      readFileSync(log, 'utf8').includes(`Worker exiting (pid: ${worker})`),
    );
    expect(readFileSync(`${log}.1`, 'utf8')).toContain('Starting tgun');
    expect(readFileSync(log, 'utf8')).not.toContain('Starting tgun');
  });

  it('with no worker alive, connections wait in the kernel backlog and are served later', async () => {
    await using tgun = await spawnTgun(['-w', '1', '-b', '127.0.0.1:0', APP]);
    marks.push(tgun.mark);
    tgun.signal('SIGWINCH');
    await until('no worker', () => tgun.workerPids().length === 0);
    const waiting = Promise.all(Array.from({ length: 5 }, () => request(tgun.url, '/')));
    await sleep(500);
    expect(tgun.workerPids()).toHaveLength(0);
    tgun.signal('SIGTTIN');
    const answers = await waiting;
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(Number(answers[0]?.body)).toBe(tgun.workerPids()[0]);
  });

  it('HUP re-binds when bind changed, keeping unchanged addresses', async () => {
    const cfg = join(dir, 'bind.config.mjs');
    const sockA = join(dir, 'a.sock');
    const sockB = join(dir, 'b.sock');
    writeFileSync(cfg, `export const bind = ['unix:${sockA}'];\n`);
    await using tgun = await spawnTgun(['-c', cfg, APP]);
    marks.push(tgun.mark);
    writeFileSync(cfg, `export const bind = ['unix:${sockA}', 'unix:${sockB}'];\n`);
    const from = tgun.logs().length;
    tgun.signal('SIGHUP');
    await tgun.waitForLog(/Listening at: unix:.*a\.sock, unix:.*b\.sock\n/, { from });
    await until('new workers', () => (tgun.logs().match(/Booting worker/g)?.length ?? 0) === 2);
    const fresh = Number(/Booting worker with pid: (\d+)[\s\S]*Booting worker with pid: (\d+)/.exec(tgun.logs())?.[2]);
    await until('only the new worker', () => tgun.workerPids().join() === String(fresh));
    const fromA = await request(`unix:${sockA}`);
    const fromB = await request(`unix:${sockB}`);
    expect(fromB.status).toBe(200);
    expect(fromA.body).toBe(fromB.body);
    writeFileSync(cfg, `export const bind = ['unix:${sockB}'];\n`);
    tgun.signal('SIGHUP');
    await until('a.sock released', () => !existsSync(sockA));
    expect((await request(`unix:${sockB}`)).status).toBe(200);
  });

  it('HUP re-reads the config file', async () => {
    const cfg = join(dir, 'hup.config.mjs');
    writeFileSync(cfg, 'export const workers = 1;\n');
    await using tgun = await spawnTgun(['-c', cfg, '-b', '127.0.0.1:0', APP]);
    marks.push(tgun.mark);
    await until('1 worker', () => tgun.workerPids().length === 1);
    writeFileSync(cfg, 'export const workers = 3;\n');
    tgun.signal('SIGHUP');
    await until('3 workers', () => tgun.workerPids().length === 3);
    writeFileSync(cfg, 'export const workers = ;\n');
    const from = tgun.logs().length;
    tgun.signal('SIGHUP');
    await tgun.waitForLog(/Reload failed/, { from });
    await sleep(300);
    expect(tgun.workerPids()).toHaveLength(3);
    expect((await request(tgun.url)).status).toBe(200);
  });
});
