import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { request } from '../src/testing/http.js';
import { noLeftovers, spawnTgun } from '../src/testing/spawn-tgun.js';
import { until } from '../src/testing/until.js';

const APP = join(import.meta.dirname, 'fixtures', 'long-lived', 'socketio-self-listen.mjs');
const marks: string[] = [];

afterAll(async () => {
  await noLeftovers(marks);
});

/** Sends numbered acknowledged echoes one at a time; an echo not acknowledged in time is sent again. */
function echoLoop(socket: Socket) {
  const state = { acked: 0, wrong: 0, pids: new Set<string>(), disconnects: 0, running: true };
  socket.on('disconnect', () => {
    state.disconnects++;
  });
  void (async () => {
    while (state.running) {
      try {
        const reply = String(await socket.timeout(3000).emitWithAck('echo', state.acked + 1));
        const [pid = '', n] = reply.split(':');
        if (Number(n) === state.acked + 1) {
          state.acked++;
          state.pids.add(pid);
        } else state.wrong++;
      } catch {
        // Not acknowledged (the connection went away first): the same number is sent again.
      }
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
  })();
  return state;
}

describe('socket.io under tgun', () => {
  it('websocket-only transport: 2 workers, a HUP moves every client to the new workers, no echo lost', async () => {
    await using tgun = await spawnTgun(['-w', '2', '-b', '127.0.0.1:0', APP]);
    marks.push(tgun.mark);
    const sockets = Array.from({ length: 10 }, () =>
      io(tgun.url, { transports: ['websocket'], reconnectionDelay: 50, reconnectionDelayMax: 200 }),
    );
    const loops = sockets.map(echoLoop);
    try {
      await until('echoes', () => loops.every((l) => l.acked >= 3));
      const old = tgun.workerPids().map(String);
      tgun.signal('SIGHUP');
      await until('old workers gone', () => tgun.workerPids().every((p) => !old.includes(String(p))), 30_000);
      const fresh = tgun.workerPids().map(String);
      await until(
        'echoes from new workers',
        () => loops.every((l) => [...l.pids].some((p) => fresh.includes(p))),
        30_000,
      );
      for (const l of loops) {
        expect(l.wrong).toBe(0);
        expect(l.disconnects).toBe(1);
      }
    } finally {
      for (const l of loops) l.running = false;
      for (const s of sockets) s.disconnect();
    }
    expect(tgun.logs()).not.toMatch(/Worker graceful timeout|long-polling/);
  });

  it('the default polling transport across 2 workers fails loudly: the worker says why', async () => {
    await using tgun = await spawnTgun(['-w', '2', '-b', '127.0.0.1:0', APP]);
    marks.push(tgun.mark);
    // engine.io's polling handshake, then polls of that session on fresh connections, as a client behind a
    // proxy without stickiness sends them: the kernel hands them to either worker, and the worker that does not
    // hold the session answers 400 "Session ID unknown". Sent until that happens, so the test does not depend
    // on how the kernel spreads a few connections.
    const handshake = await request(tgun.url, '/socket.io/?EIO=4&transport=polling');
    const sid = /"sid":"([^"]+)"/.exec(handshake.body)?.[1];
    expect(sid).toBeDefined();
    const path = `/socket.io/?EIO=4&transport=polling&sid=${sid}`;
    let unknown = 0;
    for (let i = 0; i < 500 && unknown === 0; i++) {
      // A POST answers at once ("ok" from the session's worker); a GET would long-poll there.
      const res = await request(tgun.url, path, { method: 'POST', headers: { 'content-type': 'text/plain' } });
      if (res.status === 400 && res.body.includes('Session ID unknown')) unknown++;
    }
    expect(unknown).toBe(1);
    await tgun.waitForLog(/socket\.io long-polling request reached a worker that does not hold its session/);
  });
});
