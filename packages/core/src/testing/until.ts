import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `check` every 50 ms until it holds; throws `timed out waiting for <what>` after `timeoutMs`. For waiting
 * on process and log state in integration tests, without timing assertions.
 */
export async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
