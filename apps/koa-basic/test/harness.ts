/**
 * core's integration-test harness, and {@link serve} on top of it. The harness is not a public export of
 * @tgun/core yet, so this one file reaches it inside the workspace; the tests import it from here.
 */
import { request } from '../../../packages/core/src/testing/http.js';
import { spawnTgun, type TgunHandle, waitUntilServing } from '../../../packages/core/src/testing/spawn-tgun.js';

export { noLeftovers, type TgunHandle } from '../../../packages/core/src/testing/spawn-tgun.js';

/**
 * Starts `tgun ...args` in `cwd` and waits until it answers; if tgun exits first (an app that fails to load),
 * fails at once with tgun's own log, which says why.
 */
export async function serve(args: readonly string[], cwd: string): Promise<TgunHandle> {
  const tgun = await spawnTgun(args, { cwd, wait: 'listening' });
  const died = tgun.exited.then(
    (exit) => new Error(`tgun exited (${JSON.stringify(exit)}) before serving:\n${tgun.logs()}`),
  );
  const failure = await Promise.race([
    waitUntilServing(tgun.url, 30_000).then(
      () => null,
      (err: Error) => new Error(`${err.message}; tgun's log:\n${tgun.logs()}`),
    ),
    died,
  ]);
  if (failure) throw failure;
  return tgun;
}

/**
 * Sends `GET /` on fresh connections (the kernel picks a worker for each) until `count` different workers have
 * answered, by their `X-Worker-Pid` header; bounded. A worker that answered has loaded the app.
 */
export async function workersAnswering(url: string, count: number): Promise<Set<number>> {
  const seen = new Set<number>();
  for (let i = 0; i < 300 && seen.size < count; i++) {
    const res = await request(url, '/');
    seen.add(Number(res.headers['x-worker-pid']));
  }
  return seen;
}
