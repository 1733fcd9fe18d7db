import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { request } from '../src/testing/http.js';
import { establishedInodes, socketInodesOf } from '../src/testing/sockets.js';
import { noLeftovers, spawnTgun } from '../src/testing/spawn-tgun.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const APP = join(FIXTURES, 'pid-app.mjs');
const dir = mkdtempSync(join(tmpdir(), 'tgun-listeners-'));
const marks: string[] = [];

afterAll(async () => {
  await noLeftovers(marks);
  rmSync(dir, { recursive: true, force: true });
});

/** Sends batches of concurrent fresh-connection requests until `want` distinct pids answered (or a cap). */
async function distinctPids(target: string, want: number): Promise<Set<string>> {
  const pids = new Set<string>();
  for (let round = 0; round < 30 && pids.size < want; round++) {
    const batch = await Promise.all(Array.from({ length: 12 }, () => request(target, '/?ms=20')));
    for (const res of batch) {
      expect(res.status).toBe(200);
      pids.add(res.body);
    }
  }
  return pids;
}

describe('listeners', () => {
  it('serves TCP, IPv6 loopback and a unix socket from several workers; the master accepts nothing', async () => {
    const sock = join(dir, 'app.sock');
    await using tgun = await spawnTgun([
      '-w',
      '3',
      '-b',
      '127.0.0.1:0',
      '-b',
      '[::1]:0',
      '-b',
      `unix:${sock}`,
      join(FIXTURES, 'pid-app.mjs'),
    ]);
    marks.push(tgun.mark);
    expect(tgun.urls).toHaveLength(3);
    const [v4, v6, unix] = tgun.urls as [string, string, string];
    expect(v4).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(v6).toMatch(/^http:\/\/\[::1\]:\d+$/);
    expect(unix).toBe(`unix:${sock}`);
    await tgun.waitForLog(/(Booting worker with pid: \d+[\s\S]*){3}/);
    // gunicorn's line shape: [date time zone] [pid] [LEVEL] message.
    const stamp = String.raw`\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}\]`;
    expect(tgun.logs()).toMatch(
      new RegExp(`^${stamp} \\[${tgun.pid}\\] \\[INFO\\] Starting tgun \\d+\\.\\d+\\.\\d+$`, 'm'),
    );
    expect(tgun.logs()).toContain(`Listening at: ${tgun.urls.join(', ')} (${tgun.pid})`);
    expect(tgun.logs()).toContain('Using worker: node');

    const workers = tgun.workerPids();
    expect(workers).toHaveLength(3);
    for (const target of [v4, v6, unix]) {
      const pids = await distinctPids(target, 2);
      expect(pids.size).toBeGreaterThanOrEqual(2);
      for (const pid of pids) {
        expect(workers).toContain(Number(pid));
        expect(Number(pid)).not.toBe(tgun.pid);
      }
    }

    // Hold keep-alive connections open, then look at who owns their server side.
    const port = Number(new URL(v4).port);
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    await Promise.all(Array.from({ length: 8 }, () => request(v4, '/?ms=30', { agent })));
    const serverSides = establishedInodes(port);
    expect(serverSides.size).toBeGreaterThan(0);
    const master = socketInodesOf(tgun.pid);
    const inWorkers = new Set(workers.flatMap((pid) => [...socketInodesOf(pid)]));
    for (const inode of serverSides) {
      expect(master.has(inode)).toBe(false);
      expect(inWorkers.has(inode)).toBe(true);
    }
    agent.destroy();

    tgun.signal('SIGTERM');
    expect(await tgun.exited).toEqual({ code: 0, signal: null });
    expect(tgun.logs()).toContain('Shutting down: Master');
    expect(existsSync(sock)).toBe(false);
  });

  it('queues connections from "Listening at:" on, before any worker has booted', async () => {
    await using tgun = await spawnTgun(['-b', '127.0.0.1:0', APP], { wait: 'listening' });
    marks.push(tgun.mark);
    expect(tgun.logs()).not.toContain('Booting worker');
    const res = await request(tgun.url);
    expect(res.status).toBe(200);
  });

  it('applies --umask to the unix socket file and --backlog to every socket', async () => {
    const sock = join(dir, 'masked.sock');
    await using tgun = await spawnTgun([
      '-m',
      '077',
      '--backlog',
      '77',
      '-b',
      `unix:${sock}`,
      '-b',
      '127.0.0.1:0',
      APP,
    ]);
    marks.push(tgun.mark);
    expect(statSync(sock).mode & 0o777).toBe(0o700);
    const port = new URL(tgun.urls[1] as string).port;
    // For a listening socket, ss reports the backlog as Send-Q.
    const line = execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' }).trim();
    expect(line.split(/\s+/)[2]).toBe('77');
  });

  it('replaces a stale unix socket file and refuses a path that is not a socket', async () => {
    const sock = join(dir, 'stale.sock');
    // A stale socket file: bound by a process that is gone.
    const first = await spawnTgun(['-b', `unix:${sock}`, join(FIXTURES, 'pid-app.mjs')]);
    marks.push(first.mark);
    first.signal('SIGKILL');
    await first.exited;
    await first[Symbol.asyncDispose]();
    expect(existsSync(sock)).toBe(true);

    await using second = await spawnTgun(['-b', `unix:${sock}`, join(FIXTURES, 'pid-app.mjs')]);
    marks.push(second.mark);
    expect((await request(second.url, '/')).status).toBe(200);

    const notSocket = join(dir, 'plain-file');
    rmSync(notSocket, { force: true });
    await import('node:fs').then((fs) => fs.writeFileSync(notSocket, 'x'));
    const bad = await spawnTgun(['-b', `unix:${notSocket}`, join(FIXTURES, 'pid-app.mjs')], { wait: 'none' });
    marks.push(bad.mark);
    expect((await bad.exited).code).toBe(1);
    expect(bad.logs()).toContain('is not a socket');
    expect(existsSync(notSocket)).toBe(true);
  });
});
