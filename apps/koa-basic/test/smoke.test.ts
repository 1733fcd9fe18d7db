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
const postJson = (path: string, body: string) =>
  get(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('the Koa example served by tgun', () => {
  it('answers its routes from the workers, through its middleware', async () => {
    const home = await get('/');
    expect([home.status, await home.text()]).toEqual([200, 'hello from Koa']);
    expect(tgun.workerPids()).toContain(Number(home.headers.get('x-worker-pid')));
    expect(home.headers.get('x-response-time')).toMatch(/^\d+\.\dms$/);

    expect(await (await get('/items/ms')).json()).toEqual({ id: 'ms', name: 'Mouse', price: 19 });
    expect(await (await get('/items')).json()).toHaveLength(3);
  });

  it('parses JSON bodies and turns errors into JSON answers', async () => {
    const quote = await postJson(
      '/quote',
      JSON.stringify({
        lines: [
          { id: 'kb', qty: 2 },
          { id: 'mn', qty: 1 },
        ],
      }),
    );
    expect(await quote.json()).toEqual({
      lines: [
        { id: 'kb', qty: 2, total: 98 },
        { id: 'mn', qty: 1, total: 189 },
      ],
      total: 287,
    });
    const malformed = await postJson('/quote', '{');
    expect(malformed.status).toBe(400);
    const unknown = await postJson('/quote', JSON.stringify({ lines: [{ id: 'zz', qty: 1 }] }));
    expect([unknown.status, await unknown.json()]).toEqual([400, { error: 'unknown item zz' }]);
    const missing = await get('/items/zz');
    expect([missing.status, await missing.json()]).toEqual([404, { error: 'no item zz' }]);
    const notAllowed = await get('/items', { method: 'DELETE' });
    expect(notAllowed.status).toBe(405);
    expect(notAllowed.headers.get('allow')).toContain('GET');
  });

  it('answers 500 for a bug in a handler and keeps its workers', async () => {
    const before = tgun.workerPids().sort();
    const boom = await get('/boom');
    expect([boom.status, await boom.json()]).toEqual([500, { error: 'internal error' }]);
    expect((await get('/')).status).toBe(200);
    expect(tgun.workerPids().sort()).toEqual(before);
  });

  it('stops on TERM, running the app close listeners, and leaves no process behind', async () => {
    // Both workers have loaded the app once each has answered; each then closes it on the way out.
    const workers = await workersAnswering(tgun.url, 2);
    expect(workers).toEqual(new Set(tgun.workerPids()));
    tgun.signal('SIGTERM');
    expect(await tgun.exited).toEqual({ code: 0, signal: null });
    for (const pid of workers) expect(tgun.logs()).toContain(`koa app closed in worker ${pid}`);
    await noLeftovers([tgun.mark]);
  });
});
