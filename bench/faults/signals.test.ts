/**
 * Signals to the arbiter under load: SIGTERM with long requests in flight (all complete), SIGINT (a fast,
 * clean exit), 10 HUPs in a row, TTIN/TTOU storms, and the USR2 upgrade while requests stream. No accepted
 * request may be lost, the arbiter must survive what it should survive, and nothing may be left behind.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { childrenOf, isRunning, until } from '../lib/procs.mjs';
import { connectionsByPid } from '../lib/ss.mjs';
import { report, served, startLoad } from './harness/load.js';
import { FAULT_APP, leftovers, startTgun } from './harness/tgun.js';

const APP = `${FAULT_APP}:app`;
/** The pid in `file`, or 0 while it does not exist (USR2 renames it before the new master writes its own). */
const readPid = (file: string) => {
  try {
    return Number(readFileSync(file, 'utf8').trim()) || 0;
  } catch {
    return 0;
  }
};
const dir = mkdtempSync(join(tmpdir(), 'tgun-faults-signals-'));

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  expect(await leftovers()).toEqual([]);
});

describe('signals under load', () => {
  it('SIGTERM while long requests are in flight: every one of them completes, then a clean exit', async () => {
    const tgun = await startTgun(['-w', '2', '--graceful-timeout', '20', '-b', '127.0.0.1:0', APP], { workers: 2 });
    try {
      const slow = startLoad({
        port: tgun.port,
        path: '/slow?ms=2500',
        concurrency: 10,
        closeEvery: 0,
        maxRequests: 10,
      });
      // SIGTERM lands once the workers have accepted all ten connections (each sends its request at once).
      const accepted = async () => {
        const byPid = await connectionsByPid(tgun.port);
        return tgun.workers().reduce((n, pid) => n + (byPid[pid] ?? 0), 0);
      };
      let held = 0;
      for (let i = 0; i < 200 && held < 10; i++) {
        held = await accepted();
        if (held < 10) await sleep(20);
      }
      expect(held).toBe(10);
      expect(slow.stats.succeeded).toBe(0);
      const from = tgun.logs().length;
      tgun.signal('SIGTERM');
      const s = await slow.stop();
      const exit = await tgun.exited;
      report('SIGTERM with 10 requests of 2.5 s in flight', s, `exit ${JSON.stringify(exit)}`);
      expect(s.sent).toBe(10);
      expect(s.succeeded).toBe(10);
      expect(exit).toEqual({ code: 0, signal: null });
      expect(tgun.logs().slice(from)).toContain('Handling signal: term');
    } finally {
      expect(await tgun.stop()).toEqual([]);
    }
  });

  it('SIGINT: a fast shutdown that leaves no process and no socket behind', async () => {
    const sock = join(dir, 'int.sock');
    const tgun = await startTgun(['-w', '2', '-b', `unix:${sock}`, '-b', '127.0.0.1:0', APP], { workers: 2 });
    try {
      const load = startLoad({ port: tgun.port, concurrency: 4 });
      expect(await served(load.stats, 50)).toBe(true);
      const workers = tgun.workers();
      tgun.signal('SIGINT');
      const exit = await tgun.exited;
      const s = await load.stop();
      report('SIGINT under load', s, `exit ${JSON.stringify(exit)}`);
      expect(exit).toEqual({ code: 0, signal: null });
      expect(workers.filter(isRunning)).toEqual([]);
      expect(s.hung).toBe(0);
      // INT is the fast shutdown (gunicorn's too): requests in flight are cut, and so are connections still
      // queued in the kernel when the socket closes; later ones are refused. Each must end in a connection
      // error, never a hang or an error status.
      expect(Object.keys(s.statuses)).toEqual(['200']);
      expect(Object.keys(s.errors).filter((code) => !['ECONNRESET', 'ECONNREFUSED', 'EPIPE'].includes(code))).toEqual(
        [],
      );
      expect(() => readFileSync(sock)).toThrow(/ENOENT/);
    } finally {
      expect(await tgun.stop()).toEqual([]);
    }
  });

  it('10 HUPs in a row: no failed request, and only the last generation of workers is left', async () => {
    const tgun = await startTgun(['-w', '2', '-b', '127.0.0.1:0', APP], { workers: 2 });
    try {
      const load = startLoad({ port: tgun.port, concurrency: 6 });
      expect(await served(load.stats, 50)).toBe(true);
      for (let i = 0; i < 10; i++) {
        tgun.signal('SIGHUP');
        // A signal sent while the same one is pending is merged by the kernel; a short gap keeps them apart.
        await sleep(30);
      }
      const hups = () => (tgun.logs().match(/Handling signal: hup/g) ?? []).length;
      expect(await until(() => tgun.workers().length === 2, 60_000)).toBe(true);
      // Let queued reloads finish: the workers stay the same for a while once the storm is over.
      let stable = '';
      expect(
        await until(
          () => {
            const now = tgun.workers().sort().join();
            const same = now === stable;
            stable = now;
            return same && tgun.workers().length === 2;
          },
          60_000,
          1500,
        ),
      ).toBe(true);
      expect(await served(load.stats, 100)).toBe(true);
      const s = await load.stop();
      report('10 HUPs in a row', s, `${hups()} HUPs handled`);
      expect(tgun.alive()).toBe(true);
      expect(hups()).toBeGreaterThanOrEqual(2);
      expect(s.failed).toBe(0);
      expect(s.hung).toBe(0);
      expect(childrenOf(tgun.pid)).toHaveLength(2);
    } finally {
      expect(await tgun.stop()).toEqual([]);
    }
  });

  it('TTIN/TTOU storms: no failed request, and the worker count follows the signals handled', async () => {
    const tgun = await startTgun(['-w', '2', '-b', '127.0.0.1:0', APP], { workers: 2 });
    // Signals of one kind do not queue: one sent while another is pending is merged, so the storm's effect
    // is read from the arbiter's log, and the count must match what it says it handled.
    const handled = (sig: string) => (tgun.logs().match(new RegExp(`Handling signal: ${sig}`, 'g')) ?? []).length;
    const settled = async () => {
      let last = -1;
      await until(
        () => {
          const now = tgun.workers().length;
          const same = now === last;
          last = now;
          return same;
        },
        30_000,
        1000,
      );
      return last;
    };
    try {
      const load = startLoad({ port: tgun.port, concurrency: 6 });
      expect(await served(load.stats, 50)).toBe(true);
      for (let round = 0; round < 2; round++) {
        for (let i = 0; i < 4; i++) {
          tgun.signal('SIGTTIN');
          await sleep(20);
        }
        const up = await settled();
        expect(up).toBe(2 + handled('ttin') - handled('ttou'));
        expect(up).toBeGreaterThan(2);
        expect(await served(load.stats, 50)).toBe(true);
        for (let i = 2; i < up; i++) {
          tgun.signal('SIGTTOU');
          await sleep(20);
        }
        // Whatever the storm's merged signals left, step down one at a time.
        for (let n = await settled(); n > 2; n = await settled()) tgun.signal('SIGTTOU');
        expect(tgun.workers()).toHaveLength(2);
        expect(await served(load.stats, 50)).toBe(true);
      }
      const s = await load.stop();
      report(
        'TTIN/TTOU storms (4 TTIN, then TTOU down to 2, twice)',
        s,
        `${handled('ttin')} TTIN and ${handled('ttou')} TTOU handled`,
      );
      expect(tgun.alive()).toBe(true);
      expect(s.failed).toBe(0);
      expect(s.hung).toBe(0);
      expect(childrenOf(tgun.pid)).toHaveLength(2);
    } finally {
      expect(await tgun.stop()).toEqual([]);
    }
  });

  it('USR2 upgrade while requests stream: WINCH and TERM the old master with no failed request', async () => {
    const pidfile = join(dir, 'usr2.pid');
    const tgun = await startTgun(['-w', '2', '-p', pidfile, '-b', '127.0.0.1:0', APP], { workers: 2 });
    let next = 0;
    try {
      const load = startLoad({ port: tgun.port, concurrency: 6 });
      expect(await served(load.stats, 50)).toBe(true);
      tgun.signal('SIGUSR2');
      expect(
        await until(() => {
          next = readPid(pidfile);
          return next !== 0 && next !== tgun.pid && tgun.workers(next).length === 2;
        }, 30_000),
      ).toBe(true);
      const fresh = tgun.workers(next).map(String);
      expect(await until(() => fresh.some((p) => load.stats.pids.has(p)), 20_000)).toBe(true);
      tgun.signal('SIGWINCH');
      expect(await until(() => tgun.workers().length === 0, 30_000)).toBe(true);
      tgun.signal('SIGTERM');
      expect(await tgun.exited).toEqual({ code: 0, signal: null });
      expect(await served(load.stats, 100)).toBe(true);
      const s = await load.stop();
      report('USR2 + WINCH + TERM while requests stream', s);
      expect(isRunning(next)).toBe(true);
      expect(s.failed).toBe(0);
      expect(s.hung).toBe(0);
    } finally {
      if (next && isRunning(next)) process.kill(next, 'SIGTERM');
      await until(() => !next || !isRunning(next), 20_000);
      expect(await tgun.stop()).toEqual([]);
    }
  });
});
