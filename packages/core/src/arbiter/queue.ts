/**
 * The arbiter's event queue. Signal handlers only enqueue; one loop takes events one at a time, so a HUP
 * that arrives during a reload waits its turn. A worker's exit enqueues `CHLD` (Node reports child exits as
 * events, not as SIGCHLD), and the `--reload` file watcher enqueues `WATCH`.
 */

/** The master signals tgun handles, by their short names. */
export const MASTER_SIGNALS = ['HUP', 'TERM', 'INT', 'QUIT', 'TTIN', 'TTOU', 'USR1', 'USR2', 'WINCH'] as const;
/** One of {@link MASTER_SIGNALS}. */
export type MasterSignal = (typeof MASTER_SIGNALS)[number];
/**
 * Everything the loop dispatches: the signals, a reaped child, a changed source file, and `ROLLING`, a rolling
 * reload asked for over the control socket (no signal means that).
 */
export type ArbiterEvent = MasterSignal | 'CHLD' | 'WATCH' | 'ROLLING';

/** A FIFO of events with an awaitable `next()`; `CHLD` and `WATCH` are collapsed while one is pending. */
export class EventQueue {
  private readonly items: ArbiterEvent[] = [];
  private wake: (() => void) | null = null;

  /** Adds an event and wakes the loop. */
  push(event: ArbiterEvent): void {
    if ((event === 'CHLD' || event === 'WATCH') && this.items.includes(event)) return;
    this.items.push(event);
    this.poke();
  }

  /** Wakes a pending {@link next} without an event (a worker booted, for instance). */
  poke(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** Whether any of `events` is waiting. */
  has(...events: ArbiterEvent[]): boolean {
    return this.items.some((e) => events.includes(e));
  }

  /** How many `event`s are waiting (`tgun ctl scale` counts queued TTIN/TTOU into the target). */
  count(event: ArbiterEvent): number {
    return this.items.filter((e) => e === event).length;
  }

  /** The next event, or null when `timeoutMs` passes (or the queue is poked) first. */
  async next(timeoutMs: number): Promise<ArbiterEvent | null> {
    if (this.items.length === 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.wake = null;
          resolve();
        }, timeoutMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.items.shift() ?? null;
  }
}

/** A one-shot "something changed" broadcast, for code waiting on worker state (boot, exit). */
export class ChangeNotifier {
  private waiters: Array<() => void> = [];

  /** Resolves at the next {@link notify}, or after `timeoutMs`. */
  changed(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.push(done);
    });
  }

  /** Releases everyone waiting. */
  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
