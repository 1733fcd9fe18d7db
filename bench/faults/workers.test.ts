/**
 * Faults inside workers, each under continuous load: workers SIGKILLed every second, a blocked event loop,
 * a memory leak recycled by --max-requests, an app that throws on every 10th request, and workers that exit
 * while booting one time in three. Only requests held by a process killed on purpose may fail; nothing may
 * hang, the arbiter must survive, and no process may be left behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { rssMb, until } from '../lib/procs.mjs';
import { attribute, report, served, startLoad } from './harness/load.js';
import { FAULT_APP, leftovers, startTgun } from './harness/tgun.js';

const APP = `${FAULT_APP}:app`;
const dir = mkdtempSync(join(tmpdir(), 'tgun-faults-workers-'));
const booted = (logs: string) => [...logs.matchAll(/Booting worker with pid: (\d+)/g)].map((m) => Number(m[1]));

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  expect(await leftovers()).toEqual([]);
});

describe('worker faults under load', () => {
  it('SIGKILL of a random worker every second for 10 s: only the killed workers’ requests fail', async () => {
    const tgun = await startTgun(['-w', '3', '-b', '127.0.0.1:0', APP], { workers: 3 });
    try {
      const concurrency = 6;
      const load = startLoad({ port: tgun.port, concurrency });
      expect(await served(load.stats, 50)).toBe(true);
      const killed: number[] = [];
      for (let i = 0; i < 10; i++) {
        const workers = tgun.workers();
        const victim = workers[Math.floor(Math.random() * workers.length)];
        if (victim) {
          tgun.signal('SIGKILL', victim);
          killed.push(victim);
        }
        await sleep(1000);
      }
      expect(
        await until(() => tgun.workers().length === 3 && !tgun.workers().some((p) => killed.includes(p)), 20_000),
      ).toBe(true);
      expect(await served(load.stats, 100)).toBe(true);
      const s = await load.stop();
      report('SIGKILL a random worker every second', s, `${killed.length} kills`);
      expect(tgun.alive()).toBe(true);
      expect(s.hung).toBe(0);
      expect(s.succeeded + s.failed).toBe(s.sent);
      // A killed worker takes the requests it holds with it, and only those: no failure on a socket of a
      // surviving worker, and at most one fresh connection per load loop per kill.
      const { elsewhere, fresh } = attribute(s, killed);
      expect(elsewhere).toBe(0);
      expect(fresh).toBeLessThanOrEqual(killed.length * concurrency);
      expect(Object.keys(s.statuses)).toEqual(['200']);
    } finally {
      expect(await tgun.stop()).toEqual([]);
    }
  });

  it('a worker blocking its event loop is killed after --timeout and replaced; the others keep serving', async () => {
    const tgun = await startTgun(['-w', '2', '-t', '2', '-b', '127.0.0.1:0', APP], { workers: 2 });
    try {
      const concurrency = 4;
      const load = startLoad({ port: tgun.port, concurrency });
      expect(await served(load.stats, 50)).toBe(true);
      const blockedRequest = startLoad({
        port: tgun.port,
        path: '/block',
        concurrency: 1,
        maxRequests: 1,
        closeEvery: 1,
      });
      const timeout = await tgun.waitForLog(/WORKER TIMEOUT \(pid:(\d+)\)/);
      const blocked = Number(timeout[1]);
      expect(await until(() => tgun.workers().length === 2 && !tgun.workers().includes(blocked), 20_000)).toBe(true);
      expect(await served(load.stats, 100)).toBe(true);
      const s = await load.stop();
      const b = await blockedRequest.stop();
      report('a worker blocks its event loop (-t 2)', s, `the /block request: ${b.failed} failed`);
      expect(tgun.alive()).toBe(true);
      expect(b.failed).toBe(1);
      expect(s.hung).toBe(0);
      // Only requests the blocked worker held can fail: none on a socket of the other worker.
      const { elsewhere, fresh } = attribute(s, [blocked]);
      expect(elsewhere).toBe(0);
      expect(fresh).toBeLessThanOrEqual(concurrency);
    } finally {
      expect(await tgun.stop()).toEqual([]);
    }
  });

  it('a leaking worker is recycled by --max-requests with no failed request', async () => {
    const args = ['-w', '2', '--max-requests', '150', '--max-requests-jitter', '20', '-b', '127.0.0.1:0', APP];
    const tgun = await startTgun(args, { workers: 2 });
    try {
      let peakMb = 0;
      const watch = setInterval(() => {
        for (const pid of tgun.workers()) peakMb = Math.max(peakMb, rssMb(pid));
      }, 50);
      const load = startLoad({ port: tgun.port, path: '/leak', concurrency: 4, maxRequests: 900 });
      expect(await until(() => load.stats.sent >= 900, 60_000)).toBe(true);
      const s = await load.stop();
      clearInterval(watch);
      // Every recycled worker is replaced (the last replacement may still be booting).
      await until(() => booted(tgun.logs()).length >= 2 + (tgun.logs().match(/Autorestarting/g) ?? []).length, 20_000);
      const recycled = (tgun.logs().match(/Autorestarting worker after current request\./g) ?? []).length;
      report(
        'a leaking worker recycled by --max-requests 150',
        s,
        `${recycled} recycles, peak worker RSS ${peakMb.toFixed(0)} MB`,
      );
      expect(tgun.alive()).toBe(true);
      expect(s.failed).toBe(0);
      expect(s.hung).toBe(0);
      // 900 requests over workers that each serve at most 170: at least 4 recycles.
      expect(recycled).toBeGreaterThanOrEqual(4);
      expect(booted(tgun.logs()).length).toBeGreaterThanOrEqual(2 + recycled);
      // 256 KB per request: a worker kept for 450 requests would pass 110 MB of leak alone.
      expect(peakMb).toBeLessThan(160);
    } finally {
      expect(await tgun.stop()).toEqual([]);
    }
  });

  it('an app that throws on every 10th request answers 500 for those and no worker dies', async () => {
    const tgun = await startTgun(['-w', '2', '-b', '127.0.0.1:0', APP], {
      workers: 2,
      env: { FAULT_THROW_EVERY: '10' },
    });
    try {
      const before = tgun.workers().sort();
      const load = startLoad({ port: tgun.port, concurrency: 4, okStatuses: [200, 500], maxRequests: 600 });
      expect(await until(() => load.stats.sent >= 600, 60_000)).toBe(true);
      const s = await load.stop();
      report('the app throws on every 10th request', s);
      expect(tgun.alive()).toBe(true);
      expect(s.failed).toBe(0);
      expect(s.hung).toBe(0);
      // Each worker counts its own requests, so roughly a tenth of all answers are 500s.
      expect(s.statuses['500']).toBeGreaterThanOrEqual(Math.floor(s.sent / 10) - 2);
      expect(s.statuses['500']).toBeLessThanOrEqual(Math.ceil(s.sent / 10) + 2);
      expect(tgun.workers().sort()).toEqual(before);
      expect(tgun.logs()).toContain('throws on purpose');
    } finally {
      expect(await tgun.stop()).toEqual([]);
    }
  });

  it('workers that exit while booting one time in three are replaced; no crash loop, nothing lost', async () => {
    const counter = join(dir, 'boots');
    const tgun = await startTgun(['-w', '2', '-b', '127.0.0.1:0', APP], {
      workers: 2,
      env: { FAULT_BOOT_COUNTER: counter },
    });
    try {
      const load = startLoad({ port: tgun.port, concurrency: 4 });
      expect(await served(load.stats, 50)).toBe(true);
      // Each HUP boots 2 new workers and TTIN one more: about a third of those boots exit at once.
      for (let i = 0; i < 3; i++) {
        const from = tgun.logs().length;
        tgun.signal('SIGHUP');
        await tgun.waitForLog(/Hang up/, from);
        expect(await until(() => tgun.workers().length === 2, 20_000)).toBe(true);
        expect(await served(load.stats, 30)).toBe(true);
      }
      tgun.signal('SIGTTIN');
      expect(await until(() => tgun.workers().length === 3, 20_000)).toBe(true);
      expect(await served(load.stats, 50)).toBe(true);
      const s = await load.stop();
      const exitedOnBoot = (tgun.logs().match(/exits on purpose/g) ?? []).length;
      report('workers exit on boot one time in three', s, `${exitedOnBoot} boots exited`);
      expect(exitedOnBoot).toBeGreaterThanOrEqual(2);
      expect(tgun.alive()).toBe(true);
      expect(s.failed).toBe(0);
      expect(s.hung).toBe(0);
      expect(tgun.workers()).toHaveLength(3);
    } finally {
      expect(await tgun.stop()).toEqual([]);
    }
  });
});
