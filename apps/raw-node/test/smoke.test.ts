import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noLeftovers, spawnTgun, type TgunHandle, workersAnswering } from '@tgun/core/testing';

const APP_DIR = fileURLToPath(new URL('../', import.meta.url));
let tgun: TgunHandle;

beforeAll(async () => {
  // The example's own config; the address moves to a free port and the access log to the captured output.
  tgun = await spawnTgun(['-c', 'tgun.config.ts', '-w', '2', '-b', '127.0.0.1:0'], { cwd: APP_DIR, timeoutMs: 30_000 });
});

afterAll(async () => {
  await tgun?.[Symbol.asyncDispose]();
});

const get = (path: string, init?: RequestInit) => fetch(`${tgun.url}${path}`, init);

describe('the raw Node example served by tgun', () => {
  it('answers its routes from the workers', async () => {
    const home = await get('/');
    expect(home.status).toBe(200);
    expect(await home.text()).toBe('hello from a plain Node handler\n');
    expect(tgun.workerPids()).toContain(Number(home.headers.get('x-worker-pid')));

    const user = await get('/users/2');
    expect(await user.json()).toEqual({ id: '2', name: 'Grace Hopper' });
    expect((await get('/users')).status).toBe(200);
  });

  it('runs its middleware: request ids, JSON bodies, errors as JSON', async () => {
    const echoed = await get('/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-42' },
      body: JSON.stringify({ n: 1, tags: ['a'] }),
    });
    expect(echoed.status).toBe(200);
    expect(echoed.headers.get('x-request-id')).toBe('req-42');
    expect(await echoed.json()).toEqual({ received: { n: 1, tags: ['a'] } });
    expect((await get('/missing')).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    const bad = await get('/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect([bad.status, await bad.json()]).toEqual([400, { error: 'invalid JSON' }]);
    const missing = await get('/users/9');
    expect([missing.status, await missing.json()]).toEqual([404, { error: 'no user 9' }]);
    const wrongMethod = await get('/users', { method: 'DELETE' });
    expect([wrongMethod.status, wrongMethod.headers.get('allow')]).toEqual([405, 'GET']);
  });

  it('answers 500 for a bug in a handler and keeps its workers', async () => {
    const before = tgun.workerPids().sort();
    const boom = await get('/boom');
    expect([boom.status, await boom.json()]).toEqual([500, { error: 'internal error' }]);
    expect((await get('/')).status).toBe(200);
    expect(tgun.workerPids().sort()).toEqual(before);
  });

  it('spreads connections over both workers', async () => {
    const workers = await workersAnswering(tgun.url, 2);
    expect(workers).toEqual(new Set(tgun.workerPids()));
  });

  it('stops on TERM with exit 0 and leaves no process behind', async () => {
    tgun.signal('SIGTERM');
    expect(await tgun.exited).toEqual({ code: 0, signal: null });
    await noLeftovers([tgun.mark]);
  });
});
