import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { targetOptions } from '../src/testing/http.js';
import { noLeftovers, spawnTgun } from '../src/testing/spawn-tgun.js';

const APP = join(import.meta.dirname, 'fixtures', 'pid-app.mjs');
const marks: string[] = [];
afterAll(async () => {
  await noLeftovers(marks);
});

/** A keep-alive connection that sends one request and records whether the answer came. */
function keepAliveRequest(port: number): { socket: Socket; answered: Promise<string>; got: () => boolean } {
  const socket = connect(port, '127.0.0.1');
  let received = false;
  const answered = new Promise<string>((resolve, reject) => {
    socket.once('data', (d) => {
      received = true;
      resolve(d.toString('latin1'));
    });
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('closed without an answer')));
  });
  // Unhandled until awaited; the close-without-answer case is what the test looks for.
  answered.catch(() => {});
  socket.write('GET / HTTP/1.1\r\nHost: t\r\n\r\n');
  return { socket, answered, got: () => received };
}

describe('--worker-connections', () => {
  it('a worker at its cap stops accepting; the next connection waits, then is served', async () => {
    await using tgun = await spawnTgun([
      '-w',
      '1',
      '--worker-connections',
      '2',
      '--keep-alive',
      '30',
      '-b',
      '127.0.0.1:0',
      APP,
    ]);
    marks.push(tgun.mark);
    const { port } = targetOptions(tgun.url);
    if (port === undefined) throw new Error('no port');
    // Let the start-up probe's connection close, so only ours count.
    await new Promise((r) => setTimeout(r, 300));
    const held = [keepAliveRequest(port), keepAliveRequest(port)];
    for (const h of held) expect(await h.answered).toMatch(/^HTTP\/1\.1 200/);

    const waiting = keepAliveRequest(port);
    // Node's own maxConnections would accept and close it at once; the cap must leave it waiting instead.
    await new Promise((r) => setTimeout(r, 500));
    expect(waiting.got()).toBe(false);
    expect(waiting.socket.destroyed).toBe(false);

    held[0]?.socket.destroy();
    expect(await waiting.answered).toMatch(/^HTTP\/1\.1 200/);
    for (const s of [held[1]?.socket, waiting.socket]) s?.destroy();
  });
});
