/** The arbiter's StatsD `workers` gauge, received by a real UDP socket on loopback. */
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { noLeftovers, spawnTgun } from '../src/testing/spawn-tgun.js';

const APP = join(import.meta.dirname, 'fixtures', 'pid-app.mjs');
const marks: string[] = [];
afterAll(async () => {
  await noLeftovers(marks);
});

describe('StatsD workers gauge', () => {
  it('is sent at start and whenever the worker count changes', async () => {
    const udp = createSocket('udp4');
    const gauges: string[] = [];
    udp.on('message', (msg) => {
      for (const line of msg.toString().split('\n')) if (line.includes('.workers:')) gauges.push(line);
    });
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    const { port } = udp.address();
    try {
      await using tgun = await spawnTgun([
        '-w',
        '2',
        '-b',
        '127.0.0.1:0',
        '--statsd-host',
        `127.0.0.1:${port}`,
        '--statsd-prefix',
        'app',
        APP,
      ]);
      marks.push(tgun.mark);
      await expect.poll(() => gauges.at(-1), { timeout: 20_000 }).toBe('app.gunicorn.workers:2|g');
      tgun.signal('SIGTTIN');
      await expect.poll(() => gauges.at(-1), { timeout: 20_000 }).toBe('app.gunicorn.workers:3|g');
      tgun.signal('SIGTTOU');
      await expect.poll(() => gauges.at(-1), { timeout: 20_000 }).toBe('app.gunicorn.workers:2|g');
      // Only changes are sent, not one gauge per loop pass.
      expect(gauges.length).toBeLessThanOrEqual(4);
      tgun.signal('SIGTERM');
      expect(await tgun.exited).toEqual({ code: 0, signal: null });
    } finally {
      udp.close();
    }
  });
});
