/**
 * `--connection-balance fair-share`, the arbiter's half: it keeps the connection count each worker last
 * reported and tells every accepting worker what the others hold (`worker/balance.ts` decides whether to
 * pause). It relays counts only; connections never pass through the arbiter. Messages go out when a report
 * arrives or the set of accepting workers changes, batched per event-loop turn.
 */
import type { PeersMessage } from '../ipc/messages.js';
import type { WorkerRecord } from './record.js';

interface Sent {
  others: number;
  workers: number;
}

/** Relays connection counts between the workers of one pool. */
export class Balance {
  /** Last reported open connections, by worker age. */
  private readonly counts = new Map<number, number>();
  /** What each worker was last told, by age. */
  private readonly sent = new Map<number, Sent>();
  /** Workers whose report awaits an answer even if their figures did not change (its safety valve asks). */
  private readonly asked = new Set<number>();
  private pending = false;

  /**
   * @param active the workers counting toward the pool size, oldest first
   * @param enabled whether the current configuration balances (re-read on every update, so HUP applies)
   */
  constructor(
    private readonly active: () => WorkerRecord[],
    private readonly enabled: () => boolean,
  ) {}

  /** A worker reported `open` connections. */
  report(rec: WorkerRecord, open: number): void {
    this.counts.set(rec.age, open);
    this.asked.add(rec.age);
    this.schedule();
  }

  /** The set of accepting workers may have changed (booted, stopping, retiring, exited). */
  changed(): void {
    this.schedule();
  }

  private schedule(): void {
    if (this.pending || !this.enabled()) return;
    this.pending = true;
    setImmediate(() => {
      this.pending = false;
      this.flush();
    });
  }

  private flush(): void {
    const accepting = this.active().filter((w) => w.booted && w.child?.connected === true);
    const live = new Set(accepting.map((w) => w.age));
    for (const age of [...this.counts.keys(), ...this.sent.keys()]) {
      if (live.has(age)) continue;
      this.counts.delete(age);
      this.sent.delete(age);
    }
    let total = 0;
    for (const w of accepting) total += this.counts.get(w.age) ?? 0;
    const workers = accepting.length;
    for (const w of accepting) {
      const others = total - (this.counts.get(w.age) ?? 0);
      const last = this.sent.get(w.age);
      if (last && last.others === others && last.workers === workers && !this.asked.has(w.age)) continue;
      this.sent.set(w.age, { others, workers });
      const msg: PeersMessage = { t: 'peers', others, workers };
      w.child?.send(msg, () => {
        // A worker that just exited cannot be told; its exit updates the others.
      });
    }
    this.asked.clear();
  }
}
