import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { request } from '../src/testing/http.js';
import { startLoad } from '../src/testing/load.js';
import { isRunning } from '../src/testing/processes.js';
import { MARK_ENV, noLeftovers, spawnTgun, TGUN_BIN } from '../src/testing/spawn-tgun.js';
import { until } from '../src/testing/until.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const APP = join(FIXTURES, 'pid-app.mjs');
const dir = mkdtempSync(join(tmpdir(), 'tgun-failures-'));
const marks: string[] = [];

afterAll(async () => {
  await noLeftovers(marks);
  rmSync(dir, { recursive: true, force: true });
});

const count = (text: string, re: RegExp) => text.match(new RegExp(re, 'g'))?.length ?? 0;

describe('worker failures', () => {
  it('a worker killed with SIGKILL under load is replaced; only its own connections fail', async () => {
    await using tgun = await spawnTgun(['-w', '2', '-b', '127.0.0.1:0', APP]);
    marks.push(tgun.mark);
    await until('2 workers', () => tgun.workerPids().length === 2);
    const concurrency = 6;
    const load = startLoad(tgun.url, { concurrency });
    await until('traffic', () => load.stats.ok > 100);
    const [victim] = tgun.workerPids() as [number];
    tgun.signal('SIGKILL', victim);
    await tgun.waitForLog(new RegExp(`Worker \\(pid:${victim}\\) was sent SIGKILL! Perhaps out of memory\\?`));
    await until('replacement', () => tgun.workerPids().length === 2 && !tgun.workerPids().includes(victim));
    const served = load.stats.ok;
    await until('traffic after the kill', () => load.stats.ok > served + 100);
    const stats = await load.stop();
    // Only connections the victim held may fail: its keep-alive sockets (at most one per loop, each failing
    // once) and new connections it had accepted (at most one in flight per loop). None held by the other worker.
    const onVictim = (stats.failedOn[String(victim)] ?? 0) + (stats.failedOn.fresh ?? 0);
    expect(stats.failed - onVictim, JSON.stringify(stats.failedOn)).toBe(0);
    expect(onVictim).toBeLessThanOrEqual(2 * concurrency);
    expect(stats.ok + stats.failed).toBe(stats.sent);
  });

  it('a worker whose arbiter was killed while nobody reads their output exits instead of spinning', async () => {
    const mark = randomUUID();
    marks.push(mark);
    const child = spawn(process.execPath, [TGUN_BIN, '-w', '1', '-b', '127.0.0.1:0', APP], {
      env: { ...process.env, [MARK_ENV]: mark },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    await until('a booted worker', () => /Booting worker with pid: \d+/.test(output));
    const worker = Number(/Booting worker with pid: (\d+)/.exec(output)?.[1]);
    // The reader goes away (a closed terminal, a dead supervisor): every later write to stderr fails with EPIPE.
    child.stdout.destroy();
    child.stderr.destroy();
    process.kill(child.pid as number, 'SIGKILL');
    // Orphaned, the worker logs that its parent changed (to the broken stream) and drains. Had the failed write
    // become an uncaught exception, logged to the same stream, it would loop on it at full CPU forever.
    await until('the orphaned worker gone', () => !isRunning(worker));
  });

  it("a worker respawned after the config file broke on disk still boots with the arbiter's config", async () => {
    const conf = join(dir, 'snapshot.config.mjs');
    writeFileSync(conf, 'export const workers = 2;\nexport const timeout = 20;\n');
    await using tgun = await spawnTgun(['-c', conf, '-b', '127.0.0.1:0', APP]);
    marks.push(tgun.mark);
    await until('2 workers', () => tgun.workerPids().length === 2);
    writeFileSync(conf, 'export const workers = ;\n'); // an operator's half-saved edit
    const old = tgun.workerPids();
    for (const pid of old) tgun.signal('SIGKILL', pid);
    await until('the old workers gone', () => !tgun.workerPids().some((pid) => old.includes(pid)));
    // With both old workers gone, only respawned ones can answer; from the broken file they would exit 3 and
    // tgun would halt, so this request (queued in the backlog meanwhile) would fail.
    const res = await request(tgun.url, '/', { timeoutMs: 20_000 });
    expect(res.status).toBe(200);
    expect(old).not.toContain(Number(res.body));
    expect(() => process.kill(tgun.pid, 0)).not.toThrow();
    expect(tgun.logs()).not.toMatch(/exited with code 3|Worker failed to boot/);
  });

  it('a worker with a blocked event loop is aborted, killed after --timeout, and replaced', async () => {
    await using tgun = await spawnTgun(['-w', '1', '-b', '127.0.0.1:0', '-t', '1', join(FIXTURES, 'blocking-app.mjs')]);
    marks.push(tgun.mark);
    const [blocked] = tgun.workerPids() as [number];
    const hung = request(tgun.url, '/block').then(
      () => 'answered',
      () => 'cut',
    );
    await tgun.waitForLog(new RegExp(`\\[CRITICAL\\] WORKER TIMEOUT \\(pid:${blocked}\\)`));
    await tgun.waitForLog(new RegExp(`Worker \\(pid:${blocked}\\) was sent SIGKILL!`));
    expect(await hung).toBe('cut');
    await until('replacement', () => tgun.workerPids().length === 1 && tgun.workerPids()[0] !== blocked);
    const res = await request(tgun.url, '/');
    expect(res.status).toBe(200);
    expect(Number(res.body)).not.toBe(blocked);
  });
});

describe('boot failures halt the arbiter', () => {
  it('a crash on import exits with the app-load code (4) without a respawn loop', async () => {
    const tgun = await spawnTgun(['-w', '2', '-b', '127.0.0.1:0', join(FIXTURES, 'crash-on-import.mjs')], {
      wait: 'none',
    });
    marks.push(tgun.mark);
    expect(await tgun.exited).toEqual({ code: 4, signal: null });
    const logs = tgun.logs();
    expect(logs).toContain('crash-on-import fixture: this module cannot be loaded');
    expect(logs).toMatch(/Worker \(pid:\d+\) exited with code 4\./);
    expect(logs).toMatch(/Shutting down: Master\n.*\[ERROR\] Reason: App failed to load\./);
    expect(count(logs, /Booting worker with pid/)).toBeLessThanOrEqual(2);
  });

  it('a worker that cannot boot exits with code 3', async () => {
    const tgun = await spawnTgun(
      ['-w', '1', '-b', '127.0.0.1:0', '-c', join(FIXTURES, 'failing-hook.config.mjs'), APP],
      { wait: 'none' },
    );
    marks.push(tgun.mark);
    expect(await tgun.exited).toEqual({ code: 3, signal: null });
    expect(tgun.logs()).toContain('postFork refuses');
    expect(tgun.logs()).toContain('Reason: Worker failed to boot.');
  });

  it('--preload loads a working app in the master first, then serves from workers', async () => {
    await using tgun = await spawnTgun(['--preload', '-w', '2', '-b', '127.0.0.1:0', APP]);
    marks.push(tgun.mark);
    const res = await request(tgun.url);
    expect(res.status).toBe(200);
    expect(tgun.workerPids()).toContain(Number(res.body));
  });

  it('--preload fails a broken app in the master, before any worker starts', async () => {
    const tgun = await spawnTgun(['--preload', '-b', '127.0.0.1:0', join(FIXTURES, 'crash-on-import.mjs')], {
      wait: 'none',
    });
    marks.push(tgun.mark);
    expect(await tgun.exited).toEqual({ code: 4, signal: null });
    expect(tgun.logs()).not.toContain('Booting worker');
    expect(tgun.logs()).not.toContain('Listening at');
    expect(tgun.logs()).toContain('Reason: App failed to load.');
  });

  it('an address in use is retried, then the arbiter exits 1', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const tgun = await spawnTgun(['-b', `127.0.0.1:${port}`, APP], { wait: 'none' });
      marks.push(tgun.mark);
      expect(await tgun.exited).toEqual({ code: 1, signal: null });
      const logs = tgun.logs();
      expect(count(logs, new RegExp(`Connection in use: 127\\.0\\.0\\.1:${port}`))).toBe(5);
      expect(logs).toContain(`Can't connect to http://127.0.0.1:${port}`);
      expect(logs).not.toContain('Booting worker');
    } finally {
      blocker.close();
    }
  });
});
