import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noLeftovers, spawnTgun, type TgunHandle, workersAnswering } from '@tgun/core/testing';

const APP_DIR = fileURLToPath(new URL('../', import.meta.url));
let tgun: TgunHandle;

beforeAll(async () => {
  tgun = await spawnTgun(['-c', 'tgun.config.ts', '-w', '2', '-b', '127.0.0.1:0'], { cwd: APP_DIR, timeoutMs: 30_000 });
});

afterAll(async () => {
  await tgun?.[Symbol.asyncDispose]();
});

const get = (path: string, init?: RequestInit) => fetch(`${tgun.url}${path}`, init);
const count = (body: string) =>
  get('/notes/count', { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('the Hono example served by tgun', () => {
  it('answers its routes from the workers, through its middleware', async () => {
    const home = await get('/', { headers: { 'x-request-id': 'req-9' } });
    expect([home.status, await home.text()]).toEqual([200, 'hello from Hono']);
    expect(home.headers.get('x-request-id')).toBe('req-9');
    expect(home.headers.get('x-content-type-options')).toBe('nosniff');
    expect(tgun.workerPids()).toContain(Number(home.headers.get('x-worker-pid')));
    expect(await (await get('/notes')).json()).toHaveLength(2);
    expect(await (await get('/notes/2')).json()).toMatchObject({ id: 2 });
  });

  it('validates JSON bodies and answers errors as JSON', async () => {
    const counted = await count(JSON.stringify({ text: 'one two  three' }));
    expect(await counted.json()).toEqual({ words: 3, characters: 14 });
    const bad = await count(JSON.stringify({ text: 5 }));
    expect([bad.status, await bad.json()]).toEqual([400, { error: 'expected { text: string }' }]);
    const missing = await get('/notes/9');
    expect([missing.status, await missing.json()]).toEqual([404, { error: 'no note 9' }]);
    expect((await get('/nowhere')).status).toBe(404);
  });

  it('answers 500 from its error handler and keeps its workers', async () => {
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
