import { get } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { noLeftovers, spawnTgun } from '../src/testing/spawn-tgun.js';
import { until } from '../src/testing/until.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'long-lived');
const marks: string[] = [];

afterAll(async () => {
  await noLeftovers(marks);
});

const bootedPids = (logs: string) => [...logs.matchAll(/Booting worker with pid: (\d+)/g)].map((m) => m[1] ?? '');

/** An EventSource-like reader: reconnects with Last-Event-ID when a stream ends, and checks ids run on. */
function sseClient(url: string) {
  const state = {
    last: 0,
    gaps: 0,
    ends: 0,
    aborted: 0,
    errors: 0,
    pids: [] as string[],
    stopped: false,
    stop: () => {},
  };
  let current: ReturnType<typeof get> | null = null;
  const open = () => {
    if (state.stopped) return;
    const headers = state.last > 0 ? { 'last-event-id': String(state.last) } : {};
    current = get(`${url}/events`, { headers }, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut = buffer.indexOf('\n\n');
        while (cut >= 0) {
          const event = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const id = Number(/^id: (\d+)$/m.exec(event)?.[1]);
          const pid = /^data: (\d+)$/m.exec(event)?.[1] ?? '';
          if (id !== state.last + 1) state.gaps++;
          state.last = id;
          if (!state.pids.includes(pid)) state.pids.push(pid);
          cut = buffer.indexOf('\n\n');
        }
      });
      res.on('end', () => {
        state.ends++;
      });
      // A stream cut off without its final chunk ends in 'error' (aborted) rather than 'end'; both reconnect.
      res.on('error', () => {
        state.aborted++;
      });
      res.on('close', () => setTimeout(open, 20));
    });
    // A reconnect can land on the pooled keep-alive socket the old worker is closing ("socket hang up"):
    // EventSource retries after a network error, and so does this client.
    current.on('error', () => {
      state.errors++;
      setTimeout(open, 20);
    });
  };
  state.stop = () => {
    state.stopped = true;
    current?.destroy();
  };
  open();
  return state;
}

describe('server-sent events under tgun', () => {
  it('a HUP ends every open stream; clients resume on the new workers with no event lost', async () => {
    const app = `${join(FIXTURES, 'listener-app.mjs')}:app`;
    await using tgun = await spawnTgun(['-w', '2', '-b', '127.0.0.1:0', app]);
    marks.push(tgun.mark);
    await until('2 workers', () => bootedPids(tgun.logs()).length === 2);
    const clients = Array.from({ length: 20 }, () => sseClient(tgun.url));
    try {
      await until('events flowing', () => clients.every((c) => c.last >= 3));
      tgun.signal('SIGHUP');
      await until('new workers', () => bootedPids(tgun.logs()).length === 4);
      const fresh = bootedPids(tgun.logs()).slice(2);
      await until('old workers gone', () => tgun.workerPids().every((p) => fresh.includes(String(p))));
      await until('every stream resumed on a new worker', () =>
        clients.every((c) => fresh.includes(c.pids.at(-1) ?? '')),
      );
      for (const c of clients) {
        expect(c.ends).toBe(1);
        expect(c.aborted).toBe(0);
        expect(c.gaps).toBe(0);
      }
    } finally {
      for (const c of clients) c.stop();
    }
    expect(tgun.logs()).not.toMatch(/Worker graceful timeout/);
  });

  it('the workerGoingAway hook sees the open streams', async () => {
    const app = `${join(FIXTURES, 'listener-app.mjs')}:app`;
    const config = join(FIXTURES, 'keep-open.config.mjs');
    await using tgun = await spawnTgun(['-w', '1', '-b', '127.0.0.1:0', '-c', config, app]);
    marks.push(tgun.mark);
    const clients = [sseClient(tgun.url), sseClient(tgun.url)];
    await until('events flowing', () => clients.every((c) => c.last >= 2));
    tgun.signal('SIGTERM', tgun.workerPids()[0]);
    await tgun.waitForLog(/going away: 0 upgraded \(websocket true\), 2 streams/);
    // The hook left them open; tgun's grace timer ended them and the clients resumed on the new worker.
    await until('resumed', () => clients.every((c) => c.pids.length === 2 && c.last >= 5));
    for (const c of clients) {
      c.stop();
      expect(c.gaps).toBe(0);
    }
  });
});
