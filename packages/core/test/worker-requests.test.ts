import { Agent } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { request } from '../src/testing/http.js';
import { startLoad } from '../src/testing/load.js';
import { noLeftovers, spawnTgun } from '../src/testing/spawn-tgun.js';
import { until } from '../src/testing/until.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const APP = join(FIXTURES, 'pid-app.mjs');
const marks: string[] = [];

afterAll(async () => {
  await noLeftovers(marks);
});

describe('worker request handling', () => {
  it('--max-requests recycles a worker after N requests, closing the last connection', async () => {
    await using tgun = await spawnTgun(['-w', '1', '--max-requests', '3', '-b', '127.0.0.1:0', APP]);
    marks.push(tgun.mark);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const pids: string[] = [];
    const closes: (string | undefined)[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await request(tgun.url, '/', { agent });
      expect(res.status).toBe(200);
      pids.push(res.body);
      closes.push(res.headers.connection);
    }
    agent.destroy();
    expect(new Set(pids).size).toBeGreaterThanOrEqual(3);
    // Split into runs served by one worker: at most 3 requests each (the first run also had spawnTgun's probe),
    // and a worker's last response closes its connection while the others keep it alive.
    const runs: number[][] = [];
    pids.forEach((pid, i) => {
      if (i > 0 && pid === pids[i - 1]) runs.at(-1)?.push(i);
      else runs.push([i]);
    });
    for (const run of runs) expect(run.length).toBeLessThanOrEqual(3);
    for (const run of runs.slice(0, -1)) {
      expect(closes[run.at(-1) as number]).toBe('close');
      for (const i of run.slice(0, -1)) expect(closes[i]).toBe('keep-alive');
    }
    expect(tgun.logs().match(/Autorestarting worker after current request\./g)?.length).toBeGreaterThanOrEqual(3);
  });

  it('recycling under keep-alive load loses no request', async () => {
    await using tgun = await spawnTgun([
      '-w',
      '2',
      '--max-requests',
      '150',
      '--max-requests-jitter',
      '50',
      '-b',
      '127.0.0.1:0',
      APP,
    ]);
    marks.push(tgun.mark);
    const load = startLoad(tgun.url, { concurrency: 4 });
    await until('several recycles', () => (tgun.logs().match(/Autorestarting/g)?.length ?? 0) >= 4);
    const stats = await load.stop();
    expect(stats.errors).toEqual([]);
    expect(stats.failed).toBe(0);
    expect(stats.pids.size).toBeGreaterThanOrEqual(4);
  });

  it('--worker-connections: a connection over the cap waits for room instead of being refused', async () => {
    await using tgun = await spawnTgun(['-w', '1', '--worker-connections', '2', '-b', '127.0.0.1:0', APP]);
    marks.push(tgun.mark);
    const results = await Promise.all(
      Array.from({ length: 3 }, () =>
        request(tgun.url, '/?ms=800').then(
          (r) => r.status,
          () => 'refused',
        ),
      ),
    );
    // The worker stops accepting at 2; the third connection waits in the backlog and is served after.
    expect(results).toEqual([200, 200, 200]);
    expect((await request(tgun.url)).status).toBe(200);
  });

  it('a draining worker answers a request on an idle keep-alive connection with Connection: close', async () => {
    await using tgun = await spawnTgun(['-w', '1', '--keep-alive', '10', '-b', '127.0.0.1:0', APP]);
    marks.push(tgun.mark);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const first = await request(tgun.url, '/', { agent });
    expect(first.headers.connection).toBe('keep-alive');
    tgun.signal('SIGTERM', Number(first.body));
    await sleep(300);
    // Same socket, same (draining) worker: served, and told to close.
    const second = await request(tgun.url, '/', { agent });
    expect(second.status).toBe(200);
    expect(second.body).toBe(first.body);
    expect(second.headers.connection).toBe('close');
    agent.destroy();
    await tgun.waitForLog(new RegExp(`Worker exiting \\(pid: ${first.body}\\)`));
  });

  it('serves an app that owns its http.Server with that server', async () => {
    const tgun = await spawnTgun(['-w', '2', '-b', '127.0.0.1:0', '-b', '[::1]:0', join(FIXTURES, 'server-app.mjs')]);
    marks.push(tgun.mark);
    const agent = new Agent({ keepAlive: true });
    for (const url of tgun.urls) {
      const res = await request(url, '/', { agent });
      expect(res.headers['x-served-by']).toBe('own-server');
      // The app's own keep-alive setting is kept (tgun's default is 2 s).
      expect(res.headers['keep-alive']).toBe('timeout=7');
    }
    agent.destroy();
    tgun.signal('SIGTERM');
    expect(await tgun.exited).toEqual({ code: 0, signal: null });
  });

  it("applies --keep-alive to an app's own server when the user set it", async () => {
    await using tgun = await spawnTgun([
      '-w',
      '1',
      '--keep-alive',
      '4',
      '-b',
      '127.0.0.1:0',
      join(FIXTURES, 'server-app.mjs'),
    ]);
    marks.push(tgun.mark);
    const agent = new Agent({ keepAlive: true });
    const res = await request(tgun.url, '/', { agent });
    agent.destroy();
    expect(res.headers['x-served-by']).toBe('own-server');
    expect(res.headers['keep-alive']).toBe('timeout=4');
  });
});
