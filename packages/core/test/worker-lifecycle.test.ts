import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { request } from '../src/testing/http.js';
import { isRunning } from '../src/testing/processes.js';
import { noLeftovers, spawnTgun } from '../src/testing/spawn-tgun.js';
import { until } from '../src/testing/until.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const APP = join(FIXTURES, 'pid-app.mjs');
const dir = mkdtempSync(join(tmpdir(), 'tgun-lifecycle-'));
const marks: string[] = [];

afterAll(async () => {
  await noLeftovers(marks);
  rmSync(dir, { recursive: true, force: true });
});

interface HookCall {
  hook: string;
  pid: number;
  [key: string]: unknown;
}

describe('worker lifecycle', () => {
  it('calls every server hook at its point with useful arguments', async () => {
    const hookLog = join(dir, 'hooks.jsonl');
    const tgun = await spawnTgun(['-c', join(FIXTURES, 'hooks.config.mjs'), '-w', '2', '-b', '127.0.0.1:0', APP], {
      env: { HOOK_LOG: hookLog },
    });
    marks.push(tgun.mark);
    await until('2 workers', () => tgun.workerPids().length === 2);
    await request(tgun.url, '/hello');
    tgun.signal('SIGTTIN');
    await until('3 workers', () => tgun.workerPids().length === 3);
    tgun.signal('SIGHUP');
    await tgun.waitForLog(/Hang up: Master/);
    await until('reload done', () => (tgun.logs().match(/Booting worker/g)?.length ?? 0) === 5);
    await until('old workers gone', () => tgun.workerPids().length === 2);
    const victim = tgun.workerPids()[0] as number;
    tgun.signal('SIGQUIT', victim);
    await tgun.waitForLog(new RegExp(`Worker exiting \\(pid: ${victim}\\)`));
    await until('replacement booted', () => (tgun.logs().match(/Booting worker/g)?.length ?? 0) === 6);
    await until('2 workers', () => tgun.workerPids().length === 2);
    await sleep(300);
    tgun.signal('SIGTERM');
    expect((await tgun.exited).code).toBe(0);

    const calls = readFileSync(hookLog, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as HookCall);
    const named = (hook: string) => calls.filter((c) => c.hook === hook);
    const master = tgun.pid;
    expect(named('onStarting')).toEqual([{ hook: 'onStarting', pid: master, server: master }]);
    expect(named('whenReady')[0]?.listeners).toEqual([tgun.url]);
    expect(named('nworkersChanged').map((c) => [c.next, c.old])).toEqual([
      [2, null],
      [3, 2],
      [2, 3],
    ]);
    expect(named('preFork').every((c) => c.pid === master && c.server === master)).toBe(true);
    expect(named('preFork').map((c) => c.age)).toEqual([1, 2, 3, 4, 5, 6]);
    // postFork and postWorkerInit run inside each worker.
    expect(named('postFork').every((c) => c.pid !== master && c.server === master)).toBe(true);
    expect(named('postWorkerInit').every((c) => c.booted === false && c.pid !== master)).toBe(true);
    expect(named('postWorkerInit')).toHaveLength(6);
    const pre = named('preRequest').find((c) => c.url === '/hello');
    const post = named('postRequest').find((c) => c.url === '/hello');
    expect(pre?.worker).toBe(pre?.pid);
    expect(post).toMatchObject({ status: 200, worker: pre?.pid });
    expect(named('onReload')).toEqual([{ hook: 'onReload', pid: master, numWorkers: 2 }]);
    expect(named('workerInt').map((c) => c.worker)).toEqual([victim]);
    // Every worker ran workerExit itself, and the master ran childExit for each.
    expect(named('workerExit').every((c) => c.pid === c.worker)).toBe(true);
    expect(new Set(named('workerExit').map((c) => c.worker)).size).toBe(6);
    expect(named('childExit')).toHaveLength(6);
    expect(named('childExit').every((c) => c.pid === master)).toBe(true);
    expect(calls.at(-1)).toEqual({ hook: 'onExit', pid: master, server: master });
  });

  it('runs workerExit in the master for a worker that could not (SIGKILL)', async () => {
    const hookLog = join(dir, 'hooks-kill.jsonl');
    await using tgun = await spawnTgun(['-c', join(FIXTURES, 'hooks.config.mjs'), '-b', '127.0.0.1:0', APP], {
      env: { HOOK_LOG: hookLog },
    });
    marks.push(tgun.mark);
    const victim = tgun.workerPids()[0] as number;
    tgun.signal('SIGKILL', victim);
    await tgun.waitForLog(/was sent SIGKILL/);
    await until('hooks', () => readFileSync(hookLog, 'utf8').includes('"childExit"'));
    const calls = readFileSync(hookLog, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as HookCall);
    expect(calls.filter((c) => c.hook === 'workerExit')).toEqual([
      { hook: 'workerExit', pid: tgun.pid, worker: victim },
    ]);
  });

  it('a request handler that throws gives a 500 and the worker survives', async () => {
    await using tgun = await spawnTgun(['-w', '1', '-b', '127.0.0.1:0', join(FIXTURES, 'throwing-app.mjs')]);
    marks.push(tgun.mark);
    const [worker] = tgun.workerPids();
    for (const path of ['/throw-sync', '/reject']) {
      const res = await request(tgun.url, path);
      expect(res.status).toBe(500);
    }
    await tgun.waitForLog(/\[ERROR\] Error handling request GET \/throw-sync\n.*throwing-app fixture: sync/);
    await tgun.waitForLog(/\[ERROR\] Error handling request GET \/reject\n.*throwing-app fixture: async/);
    expect((await request(tgun.url, '/')).body).toBe(String(worker));
  });

  it('USR1 to a worker reopens logs instead of starting the inspector', async () => {
    await using tgun = await spawnTgun(['-w', '1', '-b', '127.0.0.1:0', APP]);
    marks.push(tgun.mark);
    const [worker] = tgun.workerPids() as [number];
    tgun.signal('SIGUSR1', worker);
    tgun.signal('SIGUSR1');
    await sleep(500);
    expect(tgun.logs()).not.toContain('Debugger listening');
    expect(isRunning(worker)).toBe(true);
    expect((await request(tgun.url)).body).toBe(String(worker));
  });

  it('workers stop by themselves when their master dies', async () => {
    const tgun = await spawnTgun(['-w', '2', '-b', '127.0.0.1:0', APP]);
    marks.push(tgun.mark);
    await until('2 workers', () => tgun.workerPids().length === 2);
    const workers = tgun.workerPids();
    tgun.signal('SIGKILL');
    await tgun.exited;
    await until('orphans gone', () => workers.every((p) => !isRunning(p)));
    expect(tgun.logs()).toMatch(/Parent changed, shutting down/);
  });
});
