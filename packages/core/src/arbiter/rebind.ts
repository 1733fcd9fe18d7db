/**
 * Re-binding on HUP when `bind` changed. Unchanged addresses keep their sockets (re-binding them would fail:
 * the old workers still hold them), new ones are bound, removed ones are released by the arbiter (old
 * workers keep serving them until they drain). A bind that fails keeps the current listeners.
 */
import { formatAddress, parseAddress } from '../sockets/address.js';
import type { Listener } from '../sockets/listener.js';
import { bindWithRetry } from '../sockets/listeners.js';
import { primeListeners } from '../sockets/prime.js';
import type { TgunConfig } from '../settings/registry.js';
import type { Arbiter } from './arbiter.js';
import { socketOwner } from './owner.js';

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Applies `next.bind` to the arbiter's listeners. */
export async function rebind(arb: Arbiter, next: TgunConfig): Promise<void> {
  if (arb.socketActivated || same(arb.config.bind, next.bind)) return;
  const wanted = next.bind.map(parseAddress);
  const byKey = new Map(arb.listeners.map((l) => [l.key, l]));
  const fresh: Listener[] = [];
  const result: Listener[] = [];
  try {
    for (const addr of wanted) {
      const kept = byKey.get(formatAddress(addr));
      if (kept) {
        result.push(kept);
        continue;
      }
      const owner = socketOwner(next);
      const l = await bindWithRetry(addr, { umask: next.umask, log: arb.log, owner });
      fresh.push(l);
      result.push(l);
    }
    primeListeners(fresh, next.backlog);
  } catch (err) {
    for (const l of fresh) l.close();
    arb.log.exception('Could not bind the new addresses; keeping the current listeners', err);
    return;
  }
  for (const l of arb.listeners) if (!result.includes(l)) l.close();
  arb.listeners = result;
  arb.log.info(`Listening at: ${result.map((l) => l.name).join(', ')}`);
}
