import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { noLeftovers, request, spawnTgun, TGUN_BIN } from './harness.js';
import { APP_DIR, containerEnv, flagValue, tgunArgvHere, tgunContainer } from './manifests.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
    server.on('error', reject);
  });
}

/** Polls `url` until it answers 200 (the kubelet retries a failing probe too); bounded. */
async function probe(url: string): Promise<number> {
  let status = 0;
  for (let i = 0; i < 200 && status !== 200; i++) {
    status = await request(url.slice(0, url.indexOf('/', 7)), url.slice(url.indexOf('/', 7)), { timeoutMs: 2_000 })
      .then((res) => res.status)
      .catch(() => 0);
    if (status !== 200) await sleep(100);
  }
  return status;
}

describe('the pod command, run here', () => {
  it('serves the app with WEB_CONCURRENCY workers and answers both probes', async () => {
    const container = tgunContainer();
    const metricsPort = await freePort();
    // The container's exact arguments, with the two addresses moved to loopback ports free on this machine.
    const argv = tgunArgvHere(container, TGUN_BIN)
      .slice(1)
      .map((arg) =>
        arg === flagValue(container.args, '--bind')
          ? '127.0.0.1:0'
          : arg === flagValue(container.args, '--metrics-bind')
            ? `127.0.0.1:${metricsPort}`
            : arg,
      );
    const env = { ...containerEnv(container), TGUN_CMD_ARGS: undefined, PORT: undefined };
    const tgun = await spawnTgun(argv, { cwd: APP_DIR, env });
    try {
      const answer = JSON.parse((await request(tgun.url, '/')).body) as { worker: number };
      expect(tgun.workerPids()).toContain(answer.worker);
      expect(tgun.workerPids()).toHaveLength(Number(containerEnv(container).WEB_CONCURRENCY));
      expect(await probe(`http://127.0.0.1:${metricsPort}/readyz`)).toBe(200);
      expect(await probe(`http://127.0.0.1:${metricsPort}/healthz`)).toBe(200);
      // The kubelet's TERM (after preStop): a graceful stop, exit 0.
      tgun.signal('SIGTERM');
      expect(await tgun.exited).toEqual({ code: 0, signal: null });
    } finally {
      await tgun[Symbol.asyncDispose]();
    }
    await noLeftovers([tgun.mark]);
  });
});
