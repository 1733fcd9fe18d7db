import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
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
    const sockets = Array.from({ length: 6 }, () => io(tgun.url, { reconnectionDelay: 50, reconnectionDelayMax: 200 }));
    try {
      await tgun.waitForLog(/socket\.io long-polling request reached a worker that does not hold its session/);
    } finally {
      for (const s of sockets) s.disconnect();
    }
  });
});
