/**
 * A hostile environment: a disk that is full (/dev/full answers every write with ENOSPC), log files that
 * cannot be opened, a unix socket path in a missing directory, a port already in use. Start-up problems must
 * end in one clear error and an exit, never a crash loop; a full disk must not cost a request or a worker.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { until } from '../lib/procs.mjs';
import { report, served, startLoad } from './harness/load.js';
import { FAULT_APP, leftovers, startTgun } from './harness/tgun.js';

const APP = `${FAULT_APP}:app`;
const dir = mkdtempSync(join(tmpdir(), 'tgun-faults-env-'));
const count = (text: string, re: RegExp) => (text.match(new RegExp(re, 'g')) ?? []).length;

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  expect(await leftovers()).toEqual([]);
});

/** Starts tgun expecting it to refuse to run: returns its exit and output once it has exited. */
async function refused(args: string[]) {
  const tgun = await startTgun([...args, APP], { wait: 'none' });
  const exit = await Promise.race([tgun.exited, new Promise<null>((r) => setTimeout(() => r(null), 40_000))]);
  const left = await tgun.stop();
  return { exit, logs: tgun.logs(), left };
}

describe('a hostile environment', () => {
  it('a full disk under the access log: every request is still answered and no worker dies', async () => {
    const tgun = await startTgun(['-w', '2', '--access-logfile', '/dev/full', '-b', '127.0.0.1:0', APP], {
      workers: 2,
    });
    try {
      const workers = tgun.workers().sort();
      const load = startLoad({ port: tgun.port, concurrency: 4 });
      expect(await served(load.stats, 500)).toBe(true);
      const s = await load.stop();
      report(
        'access log on a full disk (/dev/full)',
        s,
        `${count(tgun.logs(), /ENOSPC/)} ENOSPC mentions in the error log`,
      );
      expect(s.failed).toBe(0);
      expect(s.hung).toBe(0);
      expect(tgun.alive()).toBe(true);
      expect(tgun.workers().sort()).toEqual(workers);
    } finally {
      expect(await tgun.stop()).toEqual([]);
    }
  });

  it('a full disk under the error log: the arbiter keeps managing workers and serving', async () => {
    const tgun = await startTgun(['-w', '2', '--error-logfile', '/dev/full', '-b', '127.0.0.1:0', APP], { workers: 2 });
    try {
      const load = startLoad({ port: tgun.port, concurrency: 4 });
      expect(await served(load.stats, 100)).toBe(true);
      const first = tgun.workers();
      // A reload and a scale-up each write several log lines, all of them failing.
      tgun.signal('SIGHUP');
      expect(
        await until(() => tgun.workers().length === 2 && !tgun.workers().some((p) => first.includes(p)), 30_000),
      ).toBe(true);
      tgun.signal('SIGTTIN');
      expect(await until(() => tgun.workers().length === 3, 30_000)).toBe(true);
      expect(await served(load.stats, 100)).toBe(true);
      const s = await load.stop();
      report('error log on a full disk (/dev/full)', s, 'HUP and TTIN handled');
      expect(s.failed).toBe(0);
      expect(s.hung).toBe(0);
      expect(tgun.alive()).toBe(true);
    } finally {
      expect(await tgun.stop()).toEqual([]);
    }
  });

  it('an unwritable --error-logfile: one clear error and an exit before any worker boots', async () => {
    const file = join(dir, 'not-a-dir-error');
    writeFileSync(file, '');
    const path = join(file, 'error.log');
    const r = await refused(['--error-logfile', path, '-b', '127.0.0.1:0']);
    console.log(
      `[faults] unwritable --error-logfile: exit ${JSON.stringify(r.exit)}; ${r.logs.trim().split('\n').slice(-1)[0]}`,
    );
    expect(r.exit).not.toBeNull();
    expect(r.exit?.code).not.toBe(0);
    expect(r.logs).toContain(path);
    expect(r.logs).toMatch(/ENOTDIR|not a directory/i);
    expect(count(r.logs, /Booting worker/)).toBe(0);
    expect(r.left).toEqual([]);
  });

  it('an unwritable --access-logfile: a clear error naming the file (an exit, or serving on without it)', async () => {
    const file = join(dir, 'not-a-dir-access');
    writeFileSync(file, '');
    const path = join(file, 'access.log');
    const tgun = await startTgun(['--access-logfile', path, '-b', '127.0.0.1:0', APP], { wait: 'none' });
    try {
      const exit = await Promise.race([tgun.exited, new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
      let answered = 0;
      if (exit === null && tgun.port) {
        const load = startLoad({ port: tgun.port, concurrency: 2, maxRequests: 20 });
        await until(() => load.stats.sent >= 20, 10_000);
        answered = (await load.stop()).succeeded;
      }
      const lines = tgun
        .logs()
        .split('\n')
        .filter((l) => l.includes(path));
      console.log(
        `[faults] unwritable --access-logfile: exit ${JSON.stringify(exit)}, ${answered} requests answered; lines naming the file: ${JSON.stringify(lines)}`,
      );
      expect(lines.some((l) => /ENOTDIR|not a directory/i.test(l))).toBe(true);
      if (exit) expect(exit.code).not.toBe(0);
      else expect(answered).toBe(20);
      expect(count(tgun.logs(), /Booting worker/)).toBeLessThanOrEqual(1);
    } finally {
      expect(await tgun.stop()).toEqual([]);
    }
  });

  it('a unix socket path in a missing directory: a clear error, bounded retries, an exit', async () => {
    const missing = join(dir, 'missing', 'deeper');
    const path = join(missing, 'tgun.sock');
    const r = await refused(['-b', `unix:${path}`]);
    const reason = r.logs.trim().split('\n').slice(-1)[0] ?? '';
    console.log(`[faults] unix socket in a missing directory: exit ${JSON.stringify(r.exit)}; ${reason}`);
    expect(r.exit).not.toBeNull();
    expect(r.exit?.code).not.toBe(0);
    expect(count(r.logs, /Booting worker/)).toBe(0);
    expect(count(r.logs, /failed: bind/)).toBeLessThanOrEqual(5);
    expect(r.left).toEqual([]);
    // libuv reports a missing directory as EACCES ("permission denied"); the operator must be told the truth.
    expect(reason).toContain(path);
    expect(reason.replaceAll(missing, '')).toMatch(/ENOENT|no such file or directory|does not exist|missing/i);
  });

  it('a port already in use: bounded retries, one clear error, an exit', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await refused(['-b', `127.0.0.1:${port}`]);
      console.log(
        `[faults] port in use: exit ${JSON.stringify(r.exit)}; ${count(r.logs, /Connection in use/)} retries`,
      );
      expect(r.exit).toEqual({ code: 1, signal: null });
      expect(count(r.logs, /Connection in use/)).toBeGreaterThanOrEqual(1);
      expect(count(r.logs, /Connection in use/)).toBeLessThanOrEqual(5);
      expect(r.logs).toContain(`127.0.0.1:${port}`);
      expect(count(r.logs, /Booting worker/)).toBe(0);
      expect(r.left).toEqual([]);
    } finally {
      blocker.close();
    }
  });
});
