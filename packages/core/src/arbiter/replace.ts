/**
 * Replacing every worker without refusing or losing a connection. The listening sockets stay open in the
 * arbiter throughout, so connections queue in the kernel while workers change.
 *
 * - `all` (gunicorn's HUP): start a full set of new workers, wait until they have booted, then drain the old.
 * - `rolling` (Puma's phased restart): one at a time, each new worker booted before an old one stops, and
 *   that old one gone before the next starts, so at most one extra worker exists (for tight memory).
 */
import type { Arbiter } from './arbiter.js';
import type { ArbiterEvent } from './queue.js';
import type { WorkerRecord } from './record.js';

const STOPS: readonly ArbiterEvent[] = ['TERM', 'INT', 'QUIT'];

/** How workers are replaced: all at once, or one at a time. */
export type ReloadStrategy = 'all' | 'rolling';

/** How a replacement went: done, cut short by a stop signal, or the new workers could not boot. */
export type ReplaceResult = 'replaced' | 'interrupted' | 'failed';

const settled = (w: WorkerRecord) => w.booted || w.exit !== null;

async function spawnAndBoot(arb: Arbiter, count: number) {
  const fresh: WorkerRecord[] = [];
  for (let i = 0; i < count; i++) fresh.push(await arb.pool.spawn());
  // A worker whose loop runs but whose app never finishes loading must not hold the reload forever.
  const timeoutMs = Math.max(arb.config.timeout, 30) * 1000;
  const result = await arb.waitFor(() => fresh.every(settled), { interrupt: STOPS, timeoutMs });
  if (result === 'timeout') arb.log.error(`New workers did not boot within ${timeoutMs / 1000}s.`);
  return { fresh, result };
}

/** Stops the workers of a failed attempt and says why the old ones stay. */
function abandon(arb: Arbiter, fresh: readonly WorkerRecord[]): ReplaceResult {
  arb.log.error('New workers failed to boot; keeping the running workers.');
  for (const w of fresh) arb.pool.stop(w, false);
  return 'failed';
}

/**
 * Replaces every worker of older generations, by `strategy` (default: `--reload-strategy`). A new worker's boot failure halts the arbiter (see the pool),
 * except under `--reload`, where the old workers are kept instead.
 */
export async function replaceWorkers(arb: Arbiter, strategy?: ReloadStrategy): Promise<ReplaceResult> {
  const old = arb.pool.all().filter((w) => w.exit === null);
  arb.pool.generation++;
  if ((strategy ?? arb.config.reloadStrategy) === 'rolling') return rolling(arb, old);
  const { fresh, result } = await spawnAndBoot(arb, arb.numWorkers);
  if (result === 'interrupted') return result;
  if (fresh.some((w) => !w.booted)) return abandon(arb, fresh);
  for (const w of old) arb.pool.stop(w, true);
  return 'replaced';
}

async function rolling(arb: Arbiter, old: readonly WorkerRecord[]): Promise<ReplaceResult> {
  for (const w of old) {
    if (w.exit !== null || w.stopping !== null) continue;
    const { fresh, result } = await spawnAndBoot(arb, 1);
    if (result === 'interrupted') return result;
    if (fresh.some((f) => !f.booted)) return abandon(arb, fresh);
    arb.pool.stop(w, true);
    const gone = await arb.waitFor(() => w.exit !== null, { interrupt: STOPS });
    if (gone === 'interrupted') return gone;
  }
  return 'replaced';
}
