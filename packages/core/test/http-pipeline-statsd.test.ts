import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { get, type PipelineServer, rawRequest, startPipeline, statusOf } from './http-pipeline-helpers.js';

let current: PipelineServer | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

describe('worker HTTP pipeline: StatsD', () => {
  it('sends gunicorn’s per-request metrics for each finished response', async () => {
    const udp = createSocket('udp4');
    const packets: string[] = [];
    udp.on('message', (m) => packets.push(m.toString()));
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    try {
      current = await startPipeline(['--statsd-host', `127.0.0.1:${udp.address().port}`, '--statsd-prefix', 'app']);
      expect(statusOf(await rawRequest(current.port, get('/')))).toBe(200);
      expect(statusOf(await rawRequest(current.port, get('/', ['Host: twice'])))).toBe(400);
      await expect.poll(() => packets.join('\n')).toContain('app.gunicorn.request.status.400:1|c');
      const all = packets.join('\n');
      expect(all).toContain('app.gunicorn.request.status.200:1|c');
      expect(all).toMatch(/app\.gunicorn\.request\.duration:[\d.]+\|ms/);
      expect(all.match(/app\.gunicorn\.requests:1\|c/g)).toHaveLength(2);
    } finally {
      udp.close();
    }
  });
});
