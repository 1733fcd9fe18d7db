import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { readPid } from '../src/arbiter/pidfile.js';
import { request } from '../src/testing/http.js';
import { commandLine, isRunning } from '../src/testing/processes.js';
import { MARK_ENV, noLeftovers, spawnTgun, TGUN_BIN, waitUntilServing } from '../src/testing/spawn-tgun.js';
import { until } from '../src/testing/until.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const APP = join(FIXTURES, 'pid-app.mjs');
const dir = mkdtempSync(join(tmpdir(), 'tgun-process-'));
const marks: string[] = [];

afterAll(async () => {
  await noLeftovers(marks);
  rmSync(dir, { recursive: true, force: true });
});

/** Polls `url` until it answers `want` (or 20 s pass); returns the last body. */
async function servedBody(url: string, want: string): Promise<string> {
  const end = Date.now() + 20_000;
  let body = (await request(url)).body;
  while (body !== want && Date.now() < end) {
    await sleep(50);
    body = (await request(url)).body;
  }
  return body;
}

const readOr = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

describe('process management', () => {
  it('writes the pidfile, refuses a live one, replaces a stale one, removes it on exit', async () => {
    const pidfile = join(dir, 'app.pid');
    writeFileSync(pidfile, `${process.pid}\n`);
    const refused = await spawnTgun(['-p', pidfile, '-b', '127.0.0.1:0', APP], { wait: 'none' });
    marks.push(refused.mark);
    expect((await refused.exited).code).toBe(1);
    expect(refused.logs()).toContain(`Already running on PID ${process.pid}`);
    expect(readPid(pidfile)).toBe(process.pid);

    writeFileSync(pidfile, '999999999\n');
    const tgun = await spawnTgun(['-p', pidfile, '-b', '127.0.0.1:0', APP]);
    marks.push(tgun.mark);
    expect(readPid(pidfile)).toBe(tgun.pid);
    tgun.signal('SIGTERM');
    expect((await tgun.exited).code).toBe(0);
    expect(existsSync(pidfile)).toBe(false);
  });

  it('--daemon detaches: the command exits 0 and the daemon serves until TERM', async () => {
    const pidfile = join(dir, 'daemon.pid');
    const log = join(dir, 'daemon.log');
    const sock = join(dir, 'daemon.sock');
    const cmd = await spawnTgun(['-D', '-p', pidfile, '--error-logfile', log, '-b', `unix:${sock}`, APP], {
      wait: 'none',
    });
    marks.push(cmd.mark);
    expect((await cmd.exited).code).toBe(0);
    await until('daemon pidfile', () => readPid(pidfile) !== null);
    const daemon = readPid(pidfile) as number;
    expect(daemon).not.toBe(cmd.pid);
    await waitUntilServing(`unix:${sock}`);
    expect(readOr(log)).toMatch(new RegExp(`\\[${daemon}\\] \\[INFO\\] Starting tgun`));
    // A new session: the daemon leads it.
    const stat = readFileSync(`/proc/${daemon}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    expect(Number(fields[3])).toBe(daemon);
    process.kill(daemon, 'SIGTERM');
    await until('daemon gone', () => !isRunning(daemon));
    expect(existsSync(pidfile)).toBe(false);
    expect(existsSync(sock)).toBe(false);
  });

  it('-n sets the master and worker process titles', async () => {
    await using tgun = await spawnTgun(['-n', 'shop-api', '-w', '2', '-b', '127.0.0.1:0', APP]);
    marks.push(tgun.mark);
    await until('2 workers', () => tgun.workerPids().length === 2);
    await until('titles', () => commandLine(tgun.pid).startsWith('tgun: master [shop-api]'));
    for (const pid of tgun.workerPids()) {
      await until('worker title', () => commandLine(pid).startsWith('tgun: worker [shop-api]'));
    }
  });

  it('-e sets worker environment variables and --chdir sets their directory', async () => {
    await using tgun = await spawnTgun([
      '-e',
      'GREETING=hello=world',
      '--chdir',
      dir,
      '-b',
      '127.0.0.1:0',
      join(FIXTURES, 'env-app.mjs'),
    ]);
    marks.push(tgun.mark);
    const res = JSON.parse((await request(tgun.url, '/?name=GREETING')).body) as { value: string; cwd: string };
    expect(res.value).toBe('hello=world');
    expect(res.cwd).toBe(dir);
    const handover = JSON.parse((await request(tgun.url, '/?name=TGUN_FD')).body) as { value: string | null };
    expect(handover.value).toBeNull();
  });

  it('--reload replaces the workers when a source file of the app changes', async () => {
    const appDir = mkdtempSync(join(dir, 'reload-'));
    const app = join(appDir, 'app.mjs');
    writeFileSync(app, "export default (req, res) => res.end('v1');\n");
    await using tgun = await spawnTgun(['--reload', '-w', '1', '-b', '127.0.0.1:0', app]);
    marks.push(tgun.mark);
    expect((await request(tgun.url)).body).toBe('v1');
    expect(tgun.logs()).toContain('Reloader is on. Use in development only!');
    // node_modules is ignored.
    const nm = join(appDir, 'node_modules');
    await import('node:fs').then((fs) => fs.mkdirSync(nm));
    writeFileSync(join(nm, 'dep.js'), '1');
    await sleep(600);
    expect(tgun.logs()).not.toContain('Worker reloading');
    writeFileSync(app, "export default (req, res) => res.end('v2');\n");
    await tgun.waitForLog(/Worker reloading: .*app\.mjs modified/);
    expect(await servedBody(tgun.url, 'v2')).toBe('v2');
    // The v1 worker may still be draining after v2 answers: sample once it has gone.
    await until('the v1 worker gone', () => tgun.workerPids().length === 1);
    const [current] = tgun.workerPids();
    // Broken code keeps the running worker, and no new worker starts until the next change.
    writeFileSync(app, 'export default (req, res) => res.end(;\n');
    await tgun.waitForLog(/New workers failed to boot; keeping the running workers/);
    expect((await request(tgun.url)).body).toBe('v2');
    expect(isRunning(tgun.pid)).toBe(true);
    expect(tgun.workerPids()).toEqual([current]);
    writeFileSync(app, "export default (req, res) => res.end('v3');\n");
    expect(await servedBody(tgun.url, 'v3')).toBe('v3');
  });

  it.runIf(process.getuid?.() === 0)('--user/--group drop privileges in the workers only', async () => {
    const sock = join(dir, 'owned.sock');
    await using tgun = await spawnTgun(
      ['-u', 'nobody', '-g', 'nogroup', '-b', '127.0.0.1:0', '-b', `unix:${sock}`, join(FIXTURES, 'whoami-app.mjs')],
      { cwd: '/' },
    );
    marks.push(tgun.mark);
    const [uid, gid] = (await request(tgun.url)).body.split(':');
    expect([uid, gid]).toEqual(['65534', '65534']);
    const status = readFileSync(`/proc/${tgun.pid}/status`, 'utf8');
    expect(status).toMatch(/^Uid:\s+0\s/m);
    // The socket file belongs to the worker user.
    const { statSync } = await import('node:fs');
    expect(statSync(sock).uid).toBe(65534);
  });

  it('serves an inherited socket given as --bind fd://3', async () => {
    const net = await import('node:net');
    const create = (
      net as unknown as {
        _createServerHandle: (
          h: string,
          p: number,
          t: number,
        ) => { fd: number; getsockname(o: object): number; close(): void };
      }
    )._createServerHandle;
    const handle = create('127.0.0.1', 0, 4);
    const out: { port?: number } = {};
    handle.getsockname(out);
    const mark = `fd-${Date.now()}`;
    marks.push(mark);
    const child = spawn(process.execPath, [TGUN_BIN, '-b', 'fd://3', APP], {
      stdio: ['ignore', 'pipe', 'pipe', handle.fd],
      env: { ...process.env, [MARK_ENV]: mark },
    });
    handle.close();
    let logs = '';
    child.stderr?.on('data', (c: Buffer) => {
      logs += c.toString();
    });
    await until('listening', () => logs.includes('Listening at:'));
    expect(logs).toContain(`Listening at: http://127.0.0.1:${out.port}`);
    await waitUntilServing(`http://127.0.0.1:${out.port}`);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  });

  it('honours systemd socket activation (LISTEN_FDS/LISTEN_PID)', async () => {
    const net = await import('node:net');
    const handle = (
      net as unknown as {
        _createServerHandle: (
          h: string,
          p: number,
          t: number,
        ) => { fd: number; getsockname(o: object): number; close(): void };
      }
    )._createServerHandle('127.0.0.1', 0, 4);
    const out: { port?: number } = {};
    handle.getsockname(out);
    const mark = `systemd-${Date.now()}`;
    marks.push(mark);
    // `exec` keeps the shell's pid, which is what LISTEN_PID must name.
    const child = spawn(
      'sh',
      ['-c', `LISTEN_PID=$$ LISTEN_FDS=1 exec "${process.execPath}" "${TGUN_BIN}" -b 127.0.0.1:1 "${APP}"`],
      {
        stdio: ['ignore', 'pipe', 'pipe', handle.fd],
        env: { ...process.env, [MARK_ENV]: mark },
      },
    );
    let logs = '';
    child.stderr?.on('data', (c: Buffer) => {
      logs += c.toString();
    });
    handle.close();
    await until('listening', () => logs.includes('Listening at:'));
    expect(logs).toContain(`Listening at: http://127.0.0.1:${out.port}`);
    await waitUntilServing(`http://127.0.0.1:${out.port}`);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    expect(logs).toContain('Shutting down: Master');
  });
});
