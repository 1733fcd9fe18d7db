/**
 * The arbiter's loop, gunicorn's `Arbiter.run`: wait for an event (≤1 s), handle it, then reap exited
 * workers, murder stale ones, and bring the pool back to the configured size. Handlers that wait (a reload
 * waiting for new workers to boot, a graceful stop) keep reaping and checking heartbeats through
 * {@link Arbiter.waitFor}, while other signals queue behind them.
 */
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { ConfigInputs } from '../config/load.js';
import type { Origin } from '../config/problems.js';
import type { ControlServer } from '../control/server.js';
import type { ServerView } from '../hooks/types.js';
import type { ErrorLog } from '../logging/logger.js';
import type { TgunConfig } from '../settings/registry.js';
import type { Listener } from '../sockets/listener.js';
import { RawEnv, withoutHandover } from './env.js';
import { HaltServer } from './halt.js';
import { HANDLERS } from './handlers.js';
import type { Pidfile } from './pidfile.js';
import { Pool, type PoolHost } from './pool.js';
import { ChangeNotifier, type ArbiterEvent, EventQueue } from './queue.js';
import type { WorkerRecord } from './record.js';
import { failedToBoot, reapWorkers } from './reap.js';
import { maybePromote } from './reexec.js';
import { stopAll } from './stop.js';
import { serverView, type ViewSource } from './views.js';
import { Watchdog } from './watchdog.js';

/** What an arbiter starts with. */
export interface ArbiterInit {
  readonly config: TgunConfig;
  readonly inputs: ConfigInputs;
  readonly appUri: string;
  readonly log: ErrorLog;
  readonly pidfile: Pidfile;
  /** The old master's pid when this arbiter was started by USR2 and is not promoted yet, else 0. */
  readonly masterPid: number;
  /** The environment at start, without `rawEnv`: what a USR2 re-execution starts from. */
  readonly baseEnv: NodeJS.ProcessEnv;
  /** Listeners came from systemd: never unlink or re-bind them. */
  readonly socketActivated: boolean;
  /** Whether WINCH may stop the workers (no terminal that could send it on a resize). */
  readonly winchAllowed: boolean;
  /** Which layer set each setting (for `tgun ctl config`); settings missing here show as defaults. */
  readonly origins?: Readonly<Record<string, Origin>>;
  /** The config file that was loaded, or null. */
  readonly configFile?: string | null;
  readonly configSource?: string | null;
}

/** How a wait ended. */
export type WaitResult = 'done' | 'timeout' | 'interrupted';

/** The master process. */
export class Arbiter implements PoolHost, ViewSource {
  /** The effective configuration (replaced on HUP). */
  config: TgunConfig;
  /** What the configuration is computed from; sent to every worker, re-run on HUP. */
  inputs: ConfigInputs;
  appUri: string;
  /** The error log (replaced on HUP when its target or level changed). */
  log: ErrorLog;
  /** The sockets handed to every new worker. */
  listeners: Listener[] = [];
  /** How many workers to keep (TTIN/TTOU/WINCH change it, HUP resets it). */
  numWorkers = 0;
  pidfile: Pidfile;
  /** The old master's pid while this one is an unpromoted USR2 child, else 0. */
  masterPid: number;
  /** The new master started by USR2, while it runs. */
  reexecChild: ChildProcess | null = null;
  readonly baseEnv: NodeJS.ProcessEnv;
  readonly socketActivated: boolean;
  readonly winchAllowed: boolean;
  /** Signals and internal events, handled one at a time by {@link run}. */
  readonly queue = new EventQueue();
  /** Wakes {@link waitFor} when a worker boots, retires or exits. */
  readonly changes = new ChangeNotifier();
  readonly pool: Pool;
  /** The live view hooks receive. */
  readonly server: ServerView;
  private readonly watchdog: Watchdog;
  private readonly rawEnv: RawEnv;
  /**
   * Under `--reload`, a worker that failed to boot does not halt the arbiter; instead no worker is started
   * until the next file change (no respawn loop while the code is broken).
   */
  bootBroken = false;
  /**
   * Set when the arbiter leaves a bound unix socket open for another master: the process must end with
   * `process.exit()`, because Node's normal shutdown would close the handle and remove the socket file.
   */
  mustExitAbruptly = false;
  /** Stops the `--reload` file watcher, when one runs. */
  stopWatching: () => void = () => {};
  /** Which layer set each setting (replaced on HUP). */
  origins: Readonly<Record<string, Origin>>;
  /** The loaded config file, or null (replaced on HUP). */
  configFile: string | null;
  /** The config file's text as last loaded; sent to workers so they evaluate exactly that (see loadConfig). */
  configSource: string | null;
  /** `Date.now()` when this arbiter started. */
  readonly startedAt = Date.now();
  /** The control socket server, while one runs. */
  control: ControlServer | null = null;
  /** Told the active worker count after every reconcile (the StatsD `workers` gauge); a no-op by default. */
  onWorkerCount: (n: number) => void = () => {};
  /** Extra shutdown steps (metrics endpoint, StatsD), run by {@link halt} before `onExit`. */
  readonly closers: Array<() => void | Promise<void>> = [];

  constructor(init: ArbiterInit) {
    this.config = init.config;
    this.inputs = init.inputs;
    this.appUri = init.appUri;
    this.log = init.log;
    this.pidfile = init.pidfile;
    this.masterPid = init.masterPid;
    this.baseEnv = init.baseEnv;
    this.socketActivated = init.socketActivated;
    this.winchAllowed = init.winchAllowed;
    this.origins = init.origins ?? {};
    this.configFile = init.configFile ?? null;
    this.configSource = init.configSource ?? null;
    this.rawEnv = new RawEnv(init.baseEnv);
    this.rawEnv.apply(init.config.rawEnv);
    this.pool = new Pool(this);
    this.watchdog = new Watchdog(this.pool);
    this.server = serverView(this);
  }

  /** `--name`, or the app URI. */
  get procName(): string {
    return this.config.procName ?? this.appUri;
  }

  /** gunicorn's name for this master in `Hang up:` lines. */
  get masterName(): string {
    return this.masterPid === 0 ? 'Master' : 'Master.2';
  }

  /** Every worker not yet reaped (for the hook views). */
  workerRecords(): Iterable<WorkerRecord> {
    return this.pool.all();
  }

  /** Exports `-e KEY=VALUE` in this process, undoing the previous set. */
  applyRawEnv(list: readonly string[]): void {
    this.rawEnv.apply(list);
  }

  /**
   * The environment of new workers: this process's, `rawEnv` included, hand-over variables removed, plus
   * `TGUN_WORKERS` (the target count when the worker starts) and `TGUN_ARBITER_PID`.
   */
  workerEnv(): NodeJS.ProcessEnv {
    return {
      ...withoutHandover(process.env),
      TGUN_WORKERS: String(this.numWorkers),
      TGUN_ARBITER_PID: String(process.pid),
    };
  }

  /** A worker exited: queue its reaping. */
  onExit(): void {
    this.queue.push('CHLD');
  }

  /** A worker's state changed: wake waiters and the loop (a retiring worker needs its replacement now). */
  onChange(): void {
    this.changes.notify();
    this.queue.poke();
  }

  /** Changes the target worker count and runs the `nworkersChanged` hook. */
  setNumWorkers(n: number, old: number | null = this.numWorkers): void {
    this.numWorkers = n;
    this.callHook('nworkersChanged', () => this.config.nworkersChanged(this.server, n, old));
  }

  /** Runs a master-side hook; a throwing hook is logged and never stops the arbiter. */
  async callHook(name: string, run: () => unknown): Promise<void> {
    try {
      await run();
    } catch (err) {
      this.log.exception(`${name} hook failed`, err);
    }
  }

  /** Runs the loop until a halt; resolves to the exit status. */
  async run(): Promise<number> {
    try {
      await this.manage();
      for (;;) {
        maybePromote(this);
        const event = await this.queue.next(1000);
        if (event) await this.dispatch(event);
        this.tick();
        await this.manage();
      }
    } catch (err) {
      if (err instanceof HaltServer) return this.halt(err);
      this.log.exception('Unhandled exception in main loop', err);
      return this.halt(new HaltServer('Unhandled exception in main loop', 255));
    }
  }

  private async dispatch(event: ArbiterEvent): Promise<void> {
    if (event === 'CHLD') this.log.debug('Handling signal: chld');
    else if (event === 'ROLLING') this.log.info('Rolling reload requested');
    else if (event !== 'WATCH') this.log.info(`Handling signal: ${event.toLowerCase()}`);
    this.changes.notify();
    await HANDLERS[event](this);
  }

  /** Reaps exited workers and checks heartbeats; throws {@link HaltServer} on a boot failure. */
  tick(): WorkerRecord[] {
    const reaped = reapWorkers(this.pool, this.config, this.server, this.log);
    this.watchdog.check(this.config.timeout, this.log);
    if (!this.bootBroken && reaped.some(failedToBoot)) {
      this.bootBroken = true;
      this.log.error('A worker failed to boot; no new workers start until a source file changes.');
    }
    return reaped;
  }

  /** Spawns or stops workers until the active count matches {@link numWorkers}. */
  async manage(): Promise<void> {
    const active = this.pool.active();
    const missing = this.numWorkers - active.length;
    if (!this.bootBroken) for (let i = 0; i < missing; i++) await this.pool.spawn(this.pool.takeVacated());
    if (missing <= 0) this.pool.clearVacated();
    for (const w of active.slice(0, Math.max(0, -missing))) this.pool.stop(w, true);
    if (missing !== 0) this.log.debug(`${this.numWorkers} workers`);
    this.onWorkerCount(this.pool.active().length);
  }

  /** Waits until `done()` while reaping and watching heartbeats; may stop early for queued `interrupt` events. */
  async waitFor(
    done: () => boolean,
    opts: { timeoutMs?: number; interrupt?: readonly ArbiterEvent[] } = {},
  ): Promise<WaitResult> {
    const end = performance.now() + (opts.timeoutMs ?? Number.POSITIVE_INFINITY);
    for (;;) {
      this.tick();
      if (done()) return 'done';
      if (opts.interrupt && this.queue.has(...opts.interrupt)) return 'interrupted';
      const left = end - performance.now();
      if (left <= 0) return 'timeout';
      await this.changes.changed(Math.min(250, left));
    }
  }

  /** gunicorn's `halt()`: stop, log the reason, remove the pidfile, run `onExit`, return the status. */
  async halt(h: HaltServer): Promise<number> {
    this.stopWatching();
    await stopAll(this, h.graceful);
    this.log.info('Shutting down: Master');
    if (h.reason) {
      if (h.status === 0) this.log.info(`Reason: ${h.reason}`);
      else this.log.error(`Reason: ${h.reason}`);
    }
    this.pidfile.unlink();
    await this.control?.close();
    this.control = null;
    for (const close of this.closers.splice(0)) await close();
    await this.callHook('onExit', () => this.config.onExit(this.server));
    return h.status;
  }
}
