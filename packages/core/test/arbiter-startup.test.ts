/**
 * What the arbiter checks and hands out at start: files every worker would fail on are checked once, before
 * any worker boots, and workers get `TGUN_WORKERS` / `TGUN_ARBITER_PID`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { request } from '../src/testing/http.js';
import { noLeftovers, spawnTgun } from '../src/testing/spawn-tgun.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const ENV_APP = join(FIXTURES, 'env-app.mjs');
const PID_APP = join(FIXTURES, 'pid-app.mjs');
const marks: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'tgun-startup-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await noLeftovers(marks);
});

/** Runs tgun expecting it to refuse to start; returns its exit and output. */
async function refused(args: string[]) {
  const tgun = await spawnTgun(args, { wait: 'none' });
  marks.push(tgun.mark);
  const exit = await tgun.exited;
  return { exit, logs: tgun.logs() };
}

describe('arbiter start-up', () => {
  it('gives workers TGUN_WORKERS and TGUN_ARBITER_PID; workers started after TTIN see the new count', async () => {
    await using tgun = await spawnTgun(['-w', '2', '-b', '127.0.0.1:0', ENV_APP]);
    marks.push(tgun.mark);
    const read = async (name: string) => JSON.parse((await request(tgun.url, `/?name=${name}`)).body).value;
    expect(await read('TGUN_WORKERS')).toBe('2');
    expect(await read('TGUN_ARBITER_PID')).toBe(String(tgun.pid));
    // Hand-over variables never reach a worker.
    expect(await read('TGUN_PID')).toBeNull();

    const before = tgun.workerPids();
    tgun.signal('SIGTTIN');
    await expect.poll(() => tgun.workerPids().length, { timeout: 20_000 }).toBe(3);
    const added = tgun.workerPids().find((p) => !before.includes(p));
    expect(added).toBeDefined();
    // The new worker's environment, read from /proc, says 3; the first two were started with 2.
    const envOf = (pid: number) => readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    expect(envOf(added as number)).toContain('TGUN_WORKERS=3');
    for (const pid of before) expect(envOf(pid)).toContain('TGUN_WORKERS=2');
  });

  it('a certfile that cannot be read: exit 1 naming the file, before any worker boots', async () => {
    const cert = join(dir, 'missing-cert.pem');
    const r = await refused(['--certfile', cert, '--keyfile', cert, '-b', '127.0.0.1:0', PID_APP]);
    expect(r.exit).toEqual({ code: 1, signal: null });
    expect(r.logs).toMatch(new RegExp(`Invalid TLS configuration: certfile '${cert}' cannot be read \\(ENOENT`));
    expect(r.logs).not.toContain('Booting worker');
  });

  it('an access log that cannot be created: exit 1 naming the file, before any worker boots', async () => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, '');
    const path = join(file, 'access.log');
    const r = await refused(['--access-logfile', path, '-b', '127.0.0.1:0', PID_APP]);
    expect(r.exit).toEqual({ code: 1, signal: null });
    expect(r.logs).toContain(`Could not open the access log ${path}: ENOTDIR`);
    expect(r.logs).not.toContain('Booting worker');
  });

  it('creates a missing access log file before the workers start', async () => {
    const path = join(dir, 'created-access.log');
    await using tgun = await spawnTgun(['--access-logfile', path, '-b', '127.0.0.1:0', PID_APP]);
    marks.push(tgun.mark);
    expect(existsSync(path)).toBe(true);
  });

  it('a unix socket in a missing directory: says the directory does not exist, no EACCES', async () => {
    const missing = join(dir, 'no', 'such');
    const path = join(missing, 'app.sock');
    const r = await refused(['-b', `unix:${path}`, PID_APP]);
    expect(r.exit).toEqual({ code: 1, signal: null });
    expect(r.logs).toContain(`directory ${missing} does not exist`);
    expect(r.logs).not.toMatch(/EACCES/);
    // Not retried: a missing directory does not appear by itself.
    expect(r.logs.match(/failed: /g)).toHaveLength(1);
  });
});
