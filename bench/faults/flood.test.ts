/**
 * Floods of connections against one worker with `--worker-connections 20`, while a well-behaved load keeps
 * running. Within the backlog, every connection over the cap waits in the kernel's accept queue and is then
 * served; past the backlog, the kernel holds the excess back (SYN cookies, retransmissions: see
 * harness/flood.ts). Either way no connection may be accepted and then dropped or left unanswered.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { flood } from './harness/flood.js';
import { report, served, startLoad } from './harness/load.js';
import { FAULT_APP, leftovers, startTgun, type Tgun } from './harness/tgun.js';

const APP = `${FAULT_APP}:app`;
const SLOW = 'GET /slow?ms=200 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';

afterAll(async () => {
  expect(await leftovers()).toEqual([]);
});

async function hits(port: number): Promise<Record<string, number>> {
  const res = await fetch(`http://127.0.0.1:${port}/hits`);
  return (await res.json()) as Record<string, number>;
}

async function oneWorker(backlog: number): Promise<{ tgun: Tgun; worker: number }> {
  const args = ['-w', '1', '-b', '127.0.0.1:0', '--worker-connections', '20', '--backlog', String(backlog), APP];
  const tgun = await startTgun(args, { workers: 1 });
  return { tgun, worker: tgun.workers()[0] ?? 0 };
}

describe('connection floods', () => {
  it('over --worker-connections, within the backlog: connections wait in the backlog, then every one is served', async () => {
    const { tgun, worker } = await oneWorker(128);
    try {
      const load = startLoad({ port: tgun.port, concurrency: 4 });
      expect(await served(load.stats, 50)).toBe(true);
      // The worker is busy for 1 s while the flood arrives, so all 100 queue in the backlog; it then takes
      // them 20 at a time (its cap, with the load's 4), pausing its accepts in between.
      const busy = fetch(`http://127.0.0.1:${tgun.port}/busy?ms=1000`);
      await new Promise((r) => setTimeout(r, 100));
      const f = await flood({ port: tgun.port, connections: 100, request: SLOW, waitMs: 20_000 });
      expect((await busy).status).toBe(200);
      const seen = await hits(tgun.port);
      // Asserted after the report, so a failure still prints the counts.
      const servedAfter = await served(load.stats, 100);
      const s = await load.stop();
      report(
        'flood within the backlog: 100 connections, --worker-connections 20, --backlog 128, worker busy 1 s',
        s,
        `flood answered ${f.answered}, dropped ${f.dropped}, refused ${f.refused}, waiting ${JSON.stringify(f.waiting)}, peak backlog ${f.peakQueue}, /slow reached the app ${seen['/slow'] ?? 0}×`,
      );
      expect(servedAfter).toBe(true);
      expect(f.peakQueue).toBeGreaterThan(0);
      expect({ answered: f.answered, dropped: f.dropped, refused: f.refused }).toEqual({
        answered: 100,
        dropped: 0,
        refused: 0,
      });
      expect(seen['/slow']).toBe(100);
      expect(s.failed).toBe(0);
      expect(s.hung).toBe(0);
      expect(tgun.workers()).toEqual([worker]);
    } finally {
      expect(await tgun.stop()).toEqual([]);
    }
  });

  it('past the backlog: the kernel holds the excess back; nothing accepted is dropped or left hanging', async () => {
    const { tgun, worker } = await oneWorker(16);
    try {
      // Keep-alive only: these connections were accepted before the flood, so none of them waits behind it.
      // Paced by the app (10 ms a request): back to back it would reach its request cap within the flood. Its
      // own path keeps it out of the flood's `/slow` count.
      const load = startLoad({ port: tgun.port, path: '/slow/load?ms=10', concurrency: 4, closeEvery: 0 });
      expect(await served(load.stats, 50)).toBe(true);
      // What the app saw, read before the unanswered connections are classified: whatever it saw by then is
      // either answered or held by the worker, and so counted as accepted.
      let seen: Record<string, number> = {};
      const atDeadline = async () => {
        seen = await hits(tgun.port);
      };
      const f = await flood({ port: tgun.port, connections: 200, request: SLOW, waitMs: 15_000, atDeadline });
      // Asserted after the report, so a failure still prints the counts.
      const servedAfter = await served(load.stats, 100);
      const s = await load.stop();
      report(
        'flood past the backlog: 200 connections, --worker-connections 20, --backlog 16',
        s,
        `flood answered ${f.answered}, dropped ${f.dropped}, refused ${f.refused}, still held back by the kernel ${f.waiting.none + f.waiting.backlog} (not accepted), accepted but unanswered ${f.waiting.accepted}, peak backlog ${f.peakQueue}, /slow reached the app ${seen['/slow'] ?? 0}×`,
      );
      expect(servedAfter).toBe(true);
      expect(f.dropped).toBe(0);
      expect(f.waiting.accepted).toBe(0);
      expect(f.otherStatus).toEqual({});
      // Every request the app saw was answered; the rest never left the kernel.
      expect(seen['/slow'] ?? 0).toBeLessThanOrEqual(f.answered);
      expect(f.answered + f.refused + f.waiting.none + f.waiting.backlog).toBe(200);
      expect(s.failed).toBe(0);
      expect(s.hung).toBe(0);
      expect(tgun.alive()).toBe(true);
      expect(tgun.workers()).toEqual([worker]);
    } finally {
      expect(await tgun.stop()).toEqual([]);
    }
  });
});
