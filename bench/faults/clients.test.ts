/**
 * Clients that misbehave, each while a well-behaved load keeps running against the same single worker:
 * slowloris, half-open connections, oversized heads, and our corpus of malformed and smuggling requests (the
 * flood of connections is in flood.test.ts). The well-behaved load must lose nothing,
 * the worker must not die, and no bad request may reach the app.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { until } from '../lib/procs.mjs';
import { corpus } from './corpus.js';
import { report, served, startLoad } from './harness/load.js';
import { exchange, type HeldConnection, hold, type RawResult } from './harness/raw.js';
import { FAULT_APP, leftovers, startTgun, type Tgun } from './harness/tgun.js';

const APP = `${FAULT_APP}:app`;

afterAll(async () => {
  expect(await leftovers()).toEqual([]);
});

/** The paths the (single) worker has served. */
async function hits(port: number): Promise<Record<string, number>> {
  const res = await fetch(`http://127.0.0.1:${port}/hits`);
  return (await res.json()) as Record<string, number>;
}

async function oneWorker(extra: string[] = []): Promise<{ tgun: Tgun; worker: number }> {
  const tgun = await startTgun(['-w', '1', '-b', '127.0.0.1:0', ...extra, APP], { workers: 1 });
  return { tgun, worker: tgun.workers()[0] ?? 0 };
}

describe('misbehaving clients', () => {
  it('slowloris: 100 connections trickling their headers are cut off; everyone else is served', async () => {
    const { tgun, worker } = await oneWorker(['-t', '3']);
    const held: HeldConnection[] = [];
    try {
      const load = startLoad({ port: tgun.port, concurrency: 4 });
      expect(await served(load.stats, 50)).toBe(true);
      for (let i = 0; i < 100; i++) held.push(await hold(tgun.port, 'GET / HTTP/1.1\r\nHost: x\r\n'));
      let open = true;
      const trickle = (async () => {
        for (let n = 0; open && n < 60; n++) {
          for (const h of held) if (!h.socket.destroyed) h.socket.write(`X-${n}: y\r\n`);
          await sleep(500);
        }
      })();
      expect(await served(load.stats, 300)).toBe(true);
      // Cut off by the server's header timeout (derived from -t 3), long before the trickle's own 30 s end.
      const cut = await until(() => held.every((h) => h.socket.destroyed || h.socket.readableEnded), 20_000);
      open = false;
      await trickle;
      const s = await load.stop();
      const answers = await Promise.all(held.map((h) => Promise.race([h.closed, sleep(100).then(() => 'open')])));
      report(
        'slowloris × 100 (-t 3)',
        s,
        `${answers.filter((a) => a !== 'open').length} of 100 cut off, ${answers.filter((a) => a.startsWith('HTTP/1.1 408')).length} with a 408`,
      );
      expect(cut).toBe(true);
      expect(s.failed).toBe(0);
      expect(s.hung).toBe(0);
      expect(tgun.workers()).toEqual([worker]);
    } finally {
      for (const h of held) h.socket.destroy();
      expect(await tgun.stop()).toEqual([]);
    }
  });

  it('half-open connections: silent sockets do not block the worker; a request then FIN is still answered', async () => {
    const { tgun, worker } = await oneWorker();
    const silent: HeldConnection[] = [];
    try {
      const load = startLoad({ port: tgun.port, concurrency: 4 });
      expect(await served(load.stats, 50)).toBe(true);
      for (let i = 0; i < 50; i++) silent.push(await hold(tgun.port));
      const partial = await Promise.all(
        Array.from({ length: 10 }, () =>
          exchange(tgun.port, 'GET / HTTP/1.1\r\nHost: x\r\nX-Half', { halfClose: true }),
        ),
      );
      const finished = await Promise.all(
        Array.from({ length: 10 }, () => exchange(tgun.port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', { halfClose: true })),
      );
      expect(await served(load.stats, 200)).toBe(true);
      const s = await load.stop();
      report(
        'half-open connections (50 silent, 10 partial + FIN, 10 request + FIN)',
        s,
        `request+FIN answered ${finished.filter((r) => r.status === 200).length}/10, partial+FIN closed ${partial.filter((r) => r.closedByServer).length}/10`,
      );
      expect(finished.map((r) => r.status)).toEqual(Array(10).fill(200));
      expect(partial.every((r) => r.closedByServer)).toBe(true);
      expect(s.failed).toBe(0);
      expect(s.hung).toBe(0);
      expect(tgun.workers()).toEqual([worker]);
    } finally {
      for (const h of silent) h.socket.destroy();
      expect(await tgun.stop()).toEqual([]);
    }
  });

  it('oversized request lines and headers are refused before the app, and the worker keeps serving', async () => {
    const { tgun, worker } = await oneWorker();
    try {
      const load = startLoad({ port: tgun.port, concurrency: 4 });
      expect(await served(load.stats, 50)).toBe(true);
      const big = (n: number) => 'a'.repeat(n);
      const cases = [
        {
          name: 'request line of 5,000 bytes (> 4094)',
          bytes: `GET /o0?${big(5000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
          // gunicorn's statuses: LimitRequestLine is 400, LimitRequestHeaders 431.
          expect: [400],
        },
        {
          name: 'header line of 9,000 bytes (> 8190)',
          bytes: `GET /o1 HTTP/1.1\r\nHost: x\r\nX-Big: ${big(9000)}\r\n\r\n`,
          expect: [431],
        },
        {
          name: '150 header fields (> 100)',
          bytes: `GET /o2 HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 150 }, (_, i) => `X-${i}: v\r\n`).join('')}\r\n`,
          expect: [431],
        },
        {
          name: 'header of 1 MB',
          bytes: `GET /o3 HTTP/1.1\r\nHost: x\r\nX-Huge: ${big(1 << 20)}\r\n\r\n`,
          expect: [431],
        },
      ];
      const results = await Promise.all(cases.map((c) => exchange(tgun.port, c.bytes)));
      const seen = await hits(tgun.port);
      expect(await served(load.stats, 100)).toBe(true);
      const s = await load.stop();
      report('oversized heads', s, cases.map((c, i) => `${c.name} → ${results[i]?.status ?? 'no answer'}`).join(', '));
      for (const [i, c] of cases.entries()) {
        expect({ case: c.name, status: results[i]?.status }).toEqual({
          case: c.name,
          status: expect.toBeOneOf(c.expect),
        });
        expect({ case: c.name, closed: results[i]?.closedByServer }).toEqual({ case: c.name, closed: true });
        expect({ case: c.name, reachedApp: seen[`/o${i}`] ?? 0 }).toEqual({ case: c.name, reachedApp: 0 });
      }
      expect(s.failed).toBe(0);
      expect(tgun.workers()).toEqual([worker]);
    } finally {
      expect(await tgun.stop()).toEqual([]);
    }
  });

  it('malformed and smuggling requests: 400 (501 for an unknown coding, as gunicorn answers), a closed connection, nothing reaches the app', async () => {
    const { tgun, worker } = await oneWorker();
    try {
      const load = startLoad({ port: tgun.port, concurrency: 4 });
      expect(await served(load.stats, 50)).toBe(true);
      const cases = corpus();
      const results: RawResult[] = [];
      for (const c of cases) results.push(await exchange(tgun.port, c.bytes));
      const seen = await hits(tgun.port);
      expect(await served(load.stats, 100)).toBe(true);
      const s = await load.stop();
      const wrong = cases
        .map((c, i) => ({ c, r: results[i], reached: seen[`/c${i}`] ?? 0 }))
        .filter(
          ({ c, r, reached }) => !(c.expect ?? [400]).includes(r?.status ?? 0) || !r?.closedByServer || reached > 0,
        )
        .map(
          ({ c, r, reached }) =>
            `[${c.class}] ${c.name}: status ${r?.status ?? 'none'}, closed ${r?.closedByServer}, reached the app ${reached}×`,
        );
      const leaks = Object.entries(seen).filter(([path]) => path.startsWith('/smuggled/'));
      const smuggled = leaks.reduce((n, [, count]) => n + count, 0);
      report(
        `malformed/smuggling corpus (${cases.length} cases)`,
        s,
        `${cases.length - wrong.length} handled as expected, smuggled requests served ${smuggled}${leaks.length ? ` (${leaks.map(([path]) => path).join(', ')})` : ''}${wrong.length ? `; NOT: ${wrong.join('; ')}` : ''}`,
      );
      expect(wrong).toEqual([]);
      expect(smuggled).toBe(0);
      expect(s.failed).toBe(0);
      expect(tgun.workers()).toEqual([worker]);
    } finally {
      expect(await tgun.stop()).toEqual([]);
    }
  });
});
