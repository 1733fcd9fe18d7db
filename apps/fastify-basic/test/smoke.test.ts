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
const order = (body: unknown) =>
  get('/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('the Fastify example served by tgun', () => {
  it('answers its routes from the workers, through its hooks', async () => {
    const home = await get('/', { headers: { 'x-request-id': 'req-7' } });
    expect([home.status, await home.text()]).toEqual([200, 'hello from Fastify']);
    expect(home.headers.get('x-request-id')).toBe('req-7');
    expect(tgun.workerPids()).toContain(Number(home.headers.get('x-worker-pid')));
    expect(await (await get('/orders/prices')).json()).toEqual({ tea: 4, coffee: 5, cake: 7 });
  });

  it('validates bodies with the route schema and prices orders', async () => {
    const ok = await order({ item: 'cake', qty: 3 });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ item: 'cake', qty: 3, total: 21 });
    const bad = await order({ item: 'cake', qty: 0 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/qty/);
    const unknown = await order({ item: 'soup', qty: 1 });
    expect(unknown.status).toBe(400);
    const nowhere = await get('/nowhere');
    expect([nowhere.status, await nowhere.json()]).toEqual([404, { error: 'not found' }]);
  });

  it('answers 500 through its error handler and keeps its workers', async () => {
    const before = tgun.workerPids().sort();
    const boom = await get('/boom');
    expect([boom.status, await boom.json()]).toEqual([500, { error: 'internal error' }]);
    expect((await get('/')).status).toBe(200);
    expect(tgun.workerPids().sort()).toEqual(before);
  });

  it('stops on TERM, running the onClose hooks, and leaves no process behind', async () => {
    // Both workers have loaded the app once each has answered; each then closes it on the way out.
    const workers = await workersAnswering(tgun.url, 2);
    expect(workers).toEqual(new Set(tgun.workerPids()));
    tgun.signal('SIGTERM');
    expect(await tgun.exited).toEqual({ code: 0, signal: null });
    for (const pid of workers) expect(tgun.logs()).toContain(`fastify app closed in worker ${pid}`);
    await noLeftovers([tgun.mark]);
  });
});
