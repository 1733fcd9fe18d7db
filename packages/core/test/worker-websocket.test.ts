import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { request } from '../src/testing/http.js';
import { noLeftovers, spawnTgun } from '../src/testing/spawn-tgun.js';
import { until } from '../src/testing/until.js';
import { type EchoClient, echoClient } from './worker-websocket-client.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'long-lived');
const marks: string[] = [];

afterAll(async () => {
  await noLeftovers(marks);
});

const bootedPids = (logs: string) => [...logs.matchAll(/Booting worker with pid: (\d+)/g)].map((m) => m[1] ?? '');
const wsUrl = (url: string) => url.replace(/^http:/, 'ws:');

/** Sends one message on a fresh connection and returns the echo. */
async function echoOnce(url: string, text: string): Promise<string> {
  const ws = new WebSocket(url);
  try {
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const reply = new Promise<string>((resolve) => ws.once('message', (d) => resolve(String(d))));
    ws.send(text);
    return await reply;
  } finally {
    ws.terminate();
  }
}

describe('WebSockets under tgun', () => {
  it('a self-listening ws app: 100 clients, a HUP closes each with 1001, all reconnect to new workers, no echo lost', async () => {
    await using tgun = await spawnTgun(['-w', '2', '-b', '127.0.0.1:0', join(FIXTURES, 'ws-self-listen.mjs')]);
    marks.push(tgun.mark);
    await until('2 workers', () => bootedPids(tgun.logs()).length === 2);
    const clients: EchoClient[] = Array.from({ length: 100 }, () => echoClient(wsUrl(tgun.url)));
    try {
      await until('every client echoed', () => clients.every((c) => c.acked >= 3), 30_000);
      const before = clients.map((c) => c.acked);
      tgun.signal('SIGHUP');
      await until('new workers', () => bootedPids(tgun.logs()).length === 4, 30_000);
      const fresh = bootedPids(tgun.logs()).slice(2);
      await until('old workers gone', () => tgun.workerPids().every((p) => fresh.includes(String(p))), 30_000);
      await until(
        'every client echoed by a new worker',
        () => clients.every((c) => fresh.some((p) => (c.perPid.get(p) ?? 0) >= 3)),
        30_000,
      );
      for (const [i, c] of clients.entries()) {
        expect(c.closes, `client ${i}`).toEqual([1001]);
        expect(c.wrong, `client ${i}`).toBe(0);
        expect(c.acked).toBeGreaterThan(before[i] ?? 0);
        // Every acknowledged number was echoed exactly once, by the old worker or a new one.
        expect([...c.perPid.values()].reduce((a, b) => a + b, 0)).toBe(c.acked);
      }
    } finally {
      await Promise.all(clients.map((c) => c.stop()));
    }
    const logs = tgun.logs();
    // The old workers ended promptly, not at --graceful-timeout.
    expect(logs).not.toMatch(/Worker graceful timeout/);
    expect(logs.match(/Worker exiting/g)?.length).toBe(2);
  });

  it('a listener app gets ws through the onHttpServer hook; an oversized frame is closed 1009 and logged', async () => {
    const app = `${join(FIXTURES, 'listener-app.mjs')}:app`;
    await using tgun = await spawnTgun([
      '-w',
      '2',
      '-b',
      '127.0.0.1:0',
      '-c',
      join(FIXTURES, 'ws-hook.config.mjs'),
      app,
    ]);
    marks.push(tgun.mark);
    expect(await echoOnce(wsUrl(tgun.url), 'hello')).toMatch(/^\d+:hello$/);
    // Plain requests are still the app's.
    expect((await request(tgun.url, '/')).body).toMatch(/^pid \d+/);

    const big = new WebSocket(wsUrl(tgun.url), { maxPayload: 0 });
    await new Promise((resolve, reject) => {
      big.once('open', resolve);
      big.once('error', reject);
    });
    // The hook's WebSocketServer takes frames up to 1 KiB.
    const code = await new Promise<number>((resolve) => {
      big.once('close', (c) => resolve(c));
      big.send(Buffer.alloc(4096));
    });
    expect(code).toBe(1009);
    await tgun.waitForLog(/WebSocket error from ip=127\.0\.0\.1 .*Max payload size exceeded/);
    // The worker is still serving: the error was logged, not thrown.
    expect(await echoOnce(wsUrl(tgun.url), 'again')).toMatch(/:again$/);
    expect(tgun.logs()).not.toMatch(/Unhandled error in worker/);
  });

  it('an overriding workerGoingAway hook runs; a draining worker refuses upgrades with 503; leftovers are closed', async () => {
    const app = `${join(FIXTURES, 'listener-app.mjs')}:app`;
    const config = join(FIXTURES, 'keep-open.config.mjs');
    await using tgun = await spawnTgun(['-w', '1', '-b', '127.0.0.1:0', '-c', config, app]);
    marks.push(tgun.mark);
    const [pid] = tgun.workerPids();
    const client = echoClient(wsUrl(tgun.url));
    await until('echoes', () => client.acked >= 2);
    const { port } = new URL(tgun.url);
    // A keep-alive connection opened before the drain, to ask for an upgrade once the worker drains.
    const raw = connect(Number(port), '127.0.0.1');
    let received = '';
    raw.on('data', (d) => {
      received += String(d);
    });
    raw.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await until('first response', () => received.includes('\r\n\r\npid '));
    received = '';
    const from = tgun.logs().length;
    tgun.signal('SIGTERM', pid);
    await tgun.waitForLog(/going away: 1 upgraded \(websocket true\), 0 streams/, { from });
    raw.write(
      'GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    await until('503', () => received.includes('\r\n\r\n'));
    expect(received).toMatch(/^HTTP\/1\.1 503 /);
    expect(received).toMatch(/\r\nConnection: close\r\n/i);
    // The hook kept the WebSocket open; tgun closed it after the grace (no close frame: 1006).
    await until('the old worker closed the WebSocket', () => client.closes.length > 0);
    expect(client.closes[0]).toBe(1006);
    await until('echoes from the new worker', () => client.pids.length === 2 && client.acked >= 4);
    await client.stop();
    raw.destroy();
    expect(tgun.logs().slice(from)).not.toMatch(/Worker graceful timeout/);
  });

  it('upgraded connections count against --worker-connections: an upgrade over the cap waits for room', async () => {
    const app = join(FIXTURES, 'ws-self-listen.mjs');
    await using tgun = await spawnTgun(['-w', '1', '-b', '127.0.0.1:0', '--worker-connections', '2', app]);
    marks.push(tgun.mark);
    const opened = async () => {
      const ws = new WebSocket(wsUrl(tgun.url));
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      return ws;
    };
    const held = [await opened(), await opened()];
    const events: string[] = [];
    const third = new WebSocket(wsUrl(tgun.url));
    const thirdOpen = new Promise((resolve) => third.once('open', resolve)).then(() => events.push('third open'));
    // Both held connections still echo, so the worker is serving; the third still waits in the backlog.
    for (const ws of held) {
      const echoed = new Promise((resolve) => ws.once('message', resolve));
      ws.send('x');
      await echoed;
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    events.push('closing one');
    held[0]?.close();
    await thirdOpen;
    expect(events).toEqual(['closing one', 'third open']);
    third.terminate();
    held[1]?.terminate();
  });
});
