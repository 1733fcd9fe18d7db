import { fileURLToPath } from 'node:url';
import { noLeftovers, request, spawnTgun, until } from '@tgun/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

const APP = `${fileURLToPath(new URL('./fixtures/websocket-app.mjs', import.meta.url))}:app`;
const marks: string[] = [];
afterAll(() => noLeftovers(marks));

/** A client that echoes numbered messages one at a time and reconnects whenever the server closes. */
function client(url: string) {
  const state = { acked: 0, wrong: 0, closes: [] as number[], pids: new Set<string>(), stopped: false };
  let ws: WebSocket;
  const connect = () => {
    ws = new WebSocket(url);
    const send = () => ws.readyState === WebSocket.OPEN && ws.send(String(state.acked + 1));
    ws.on('open', send);
    ws.on('message', (data) => {
      const [pid = '', n] = String(data).split(':');
      if (Number(n) !== state.acked + 1) state.wrong++;
      else {
        state.acked++;
        state.pids.add(pid);
      }
      setTimeout(send, 30);
    });
    ws.on('error', () => {});
    ws.on('close', (code) => {
      state.closes.push(code);
      if (!state.stopped) setTimeout(connect, 20);
    });
  };
  connect();
  const stop = () => {
    state.stopped = true;
    ws.terminate();
  };
  return { state, stop };
}

describe('@fastify/websocket under tgun', () => {
  it('serves WebSockets unchanged on 2 workers; a HUP closes them with 1001 and clients resume on new workers', async () => {
    await using tgun = await spawnTgun(['-w', '2', '-b', '127.0.0.1:0', APP]);
    marks.push(tgun.mark);
    const url = `${tgun.url.replace(/^http:/, 'ws:')}/echo`;
    const clients = Array.from({ length: 10 }, () => client(url));
    try {
      await until('echoes', () => clients.every((c) => c.state.acked >= 3));
      const old = tgun.workerPids().map(String);
      tgun.signal('SIGHUP');
      await until('old workers gone', () => tgun.workerPids().every((p) => !old.includes(String(p))), 30_000);
      const fresh = tgun.workerPids().map(String);
      await until(
        'echoes from the new workers',
        () => clients.every((c) => [...c.state.pids].some((p) => fresh.includes(p))),
        30_000,
      );
      for (const { state } of clients) {
        expect(state.closes).toEqual([1001]);
        expect(state.wrong).toBe(0);
      }
    } finally {
      for (const c of clients) c.stop();
    }
    expect(tgun.logs()).not.toMatch(/Worker graceful timeout/);
  });

  it('closes an oversized frame the way ws does (1009) and logs it; the worker keeps serving', async () => {
    await using tgun = await spawnTgun(['-w', '1', '-b', '127.0.0.1:0', APP]);
    marks.push(tgun.mark);
    const url = `${tgun.url.replace(/^http:/, 'ws:')}/echo`;
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const code = await new Promise<number>((resolve) => {
      ws.once('close', (c) => resolve(c));
      ws.send(Buffer.alloc(4096));
    });
    expect(code).toBe(1009);
    await tgun.waitForLog(/WebSocket error from ip=127\.0\.0\.1 \/echo: Max payload size exceeded/);
    // A fresh connection, not a pooled one Fastify's 72 s keep-alive would hold through the stop.
    const res = await request(tgun.url, '/');
    expect(JSON.parse(res.body)).toEqual({ pid: tgun.workerPids()[0] });
  });
});
