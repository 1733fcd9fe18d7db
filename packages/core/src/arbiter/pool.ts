/**
 * The worker pool: the ONLY place that spawns worker processes and sends them stop requests or signals
 * (the watchdog asks the pool to abort and kill). Workers are spawned, not forked: each gets the listening
 * sockets at fds 3, 4, … of its `stdio`, an IPC channel, and an init message with the arbiter's config inputs.
 */
import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { ConfigInputs } from '../config/load.js';
import { isWorkerStatsSample, mergeSample } from '../control/stats.js';
import type { ServerView } from '../hooks/types.js';
import { type InitMessage, isFromWorker, type StopMessage } from '../ipc/messages.js';
import { captureLines } from '../logging/capture.js';
import type { ErrorLog } from '../logging/logger.js';
import { addTotals, createRequestTotals, isWorkerSnapshot, type RequestTotals } from '../metrics/prometheus.js';
import type { TgunConfig } from '../settings/registry.js';
import type { Listener } from '../sockets/listener.js';
import { Balance } from './balance.js';
import { isActive, type WorkerRecord } from './record.js';
import { workerView } from './views.js';

const WORKER_MAIN = fileURLToPath(new URL('../worker/main.js', import.meta.url));

/**
 * A worker's config inputs: the arbiter's own, plus its snapshot of the config file, so a worker spawned after
 * the file was edited (or broken) still runs the configuration the arbiter loaded.
 */
function workerInputs(host: PoolHost): ConfigInputs {
  const { configFile: path, configSource: source } = host;
  return path !== null && source !== null ? { ...host.inputs, configSnapshot: { path, source } } : host.inputs;
}

/** What the pool needs from the arbiter. */
export interface PoolHost {
  readonly config: TgunConfig;
  readonly inputs: ConfigInputs;
  readonly configFile: string | null;
  readonly configSource: string | null;
  readonly appUri: string;
  readonly procName: string;
  readonly listeners: readonly Listener[];
  readonly log: ErrorLog;
  readonly server: ServerView;
  /** The environment for new workers (`rawEnv` applied, hand-over variables removed). */
  workerEnv(): NodeJS.ProcessEnv;
  /** A worker process exited (the arbiter queues CHLD). */
  onExit(rec: WorkerRecord): void;
  /** A worker's state changed (booted, retiring, exited). */
  onChange(): void;
}

/** Node options that must not reach workers: a second inspector on the same port would fail. */
const execArgv = () => process.execArgv.filter((a) => !/^--(inspect|debug)/.test(a));

/** Heartbeat period: well inside `timeout` (at least 4 beats per timeout), at most once a second. */
export function heartbeatMs(timeoutSeconds: number): number {
  return timeoutSeconds > 0 ? Math.max(50, Math.min(1000, (timeoutSeconds * 1000) / 4)) : 1000;
}

/** The workers of one arbiter. */
export class Pool {
  private readonly records = new Map<number, WorkerRecord>();
  private lastAge = 0;
  /** Incremented by every reload; new workers belong to the current generation. */
  generation = 0;
  /** The last request totals of every reaped worker, so Prometheus counters never go backwards. */
  readonly retired: RequestTotals = createRequestTotals();
  /** Workers started to replace ones that died on their own. */
  restartsTotal = 0;
  /** Workers the watchdog aborted for a missed heartbeat. */
  timeouts = 0;
  /**
   * Restart counts waiting for the next spawn: a worker that dies or retires on its own leaves `restarts + 1`
   * here, and the worker that fills its slot takes it (PM2's ↺).
   */
  private readonly vacated: number[] = [];

  /** `--connection-balance`: relays the workers' connection counts to each other. */
  private readonly balance: Balance;

  constructor(private readonly host: PoolHost) {
    this.balance = new Balance(
      () => this.active(),
      () => host.config.connectionBalance === 'fair-share',
    );
  }

  /** Every record not yet reaped, oldest first. */
  all(): WorkerRecord[] {
    return [...this.records.values()];
  }

  /** Workers counting toward the configured number (running, not stopping or retiring), oldest first. */
  active(): WorkerRecord[] {
    return this.all().filter(isActive);
  }

  /** Forgets a reaped worker, keeping its request totals and noting a slot it left on its own. */
  remove(rec: WorkerRecord): void {
    this.records.delete(rec.age);
    if (rec.metrics) addTotals(this.retired, rec.metrics);
    if (rec.abortedAt !== null) this.timeouts++;
    if (rec.stopping === null && !rec.retiring && rec.booted) this.vacated.push(rec.restarts + 1);
  }

  /** The restart count for a worker that fills a vacated slot (0 when none is vacant). */
  takeVacated(): number {
    return this.vacated.shift() ?? 0;
  }

  /** Drops vacated slots nobody will fill (the pool is at or above its target). */
  clearVacated(): void {
    this.vacated.length = 0;
  }

  /**
   * Starts one worker (runs the `preFork` hook first). Its boot failure halts the arbiter, except under
   * `--reload`, where broken code is an everyday state.
   */
  async spawn(restarts = 0): Promise<WorkerRecord> {
    const { config, log } = this.host;
    const age = ++this.lastAge;
    const jitter = config.maxRequestsJitter > 0 ? randomInt(0, config.maxRequestsJitter + 1) : 0;
    const rec: WorkerRecord = {
      age,
      pid: 0,
      generation: this.generation,
      maxRequests: config.maxRequests > 0 ? config.maxRequests + jitter : 0,
      child: null,
      booted: false,
      requests: 0,
      lastBeat: performance.now(),
      stopping: null,
      retiring: false,
      abortedAt: null,
      killed: false,
      exit: null,
      ranWorkerExit: false,
      haltOnBootFailure: !config.reload,
      spawnedAt: Date.now(),
      restarts,
      stats: null,
      metrics: null,
      view: undefined as never,
    };
    rec.view = workerView(rec, log);
    if (restarts > 0) this.restartsTotal++;
    this.records.set(age, rec);
    try {
      await config.preFork(this.host.server, rec.view);
    } catch (err) {
      log.exception('preFork hook failed', err);
    }
    this.launch(rec);
    return rec;
  }

  private launch(rec: WorkerRecord): void {
    const { config, log, listeners } = this.host;
    // Pipes, not the log's fd: a dup'ed fd would keep writing to the rotated file after USR1 (logging/capture.ts).
    const capture = config.captureOutput && log.fd !== null ? 'pipe' : 'inherit';
    const stdio: StdioOptions = ['ignore', capture, capture, ...listeners.map((l) => l.fd), 'ipc'];
    // The --tgun-name argument gives process.title room for `tgun: worker [NAME]` (Linux caps it at argv size).
    const args = [...execArgv(), WORKER_MAIN, `--tgun-worker=${rec.age}`, `--tgun-name=${this.host.procName}`];
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, args, { stdio, env: this.host.workerEnv(), cwd: config.chdir });
    } catch (err) {
      this.failedToStart(rec, err);
      return;
    }
    rec.child = child;
    rec.pid = child.pid ?? 0;
    rec.lastBeat = performance.now();
    if (child.stdout) captureLines(child.stdout, () => this.host.log, rec.pid, 'stdout');
    if (child.stderr) captureLines(child.stderr, () => this.host.log, rec.pid, 'stderr');
    child.on('message', (msg: unknown) => this.onMessage(rec, msg));
    child.on('exit', (code, signal) => this.exited(rec, code, signal));
    child.on('error', (err) => {
      // Spawn failures (EMFILE, EAGAIN) come here without an exit event.
      if (rec.pid === 0 && rec.exit === null) this.failedToStart(rec, err);
    });
    if (rec.pid === 0) return;
    const init: InitMessage = {
      t: 'init',
      inputs: workerInputs(this.host),
      appUri: this.host.appUri,
      arbiterPid: process.pid,
      age: rec.age,
      listeners: listeners.map((l, i) => ({ fd: 3 + i, name: l.name, host: l.host })),
      maxRequests: rec.maxRequests,
      heartbeatMs: heartbeatMs(config.timeout),
      procName: this.host.procName,
    };
    child.send(init, (err) => {
      if (err) log.debug(`Could not send init to worker ${rec.pid}: ${err.message}`);
    });
  }

  /**
   * The OS refused a new process (EAGAIN, EMFILE). The record stays active for a second before it is reaped,
   * so the pool retries once a second instead of spinning.
   */
  private failedToStart(rec: WorkerRecord, err: unknown): void {
    this.host.log.exception('Could not start a worker process', err);
    setTimeout(() => this.exited(rec, null, null), 1000).unref();
  }

  private exited(rec: WorkerRecord, code: number | null, signal: NodeJS.Signals | null): void {
    if (rec.exit) return;
    rec.exit = { code, signal };
    this.balance.changed();
    this.host.onExit(rec);
    this.host.onChange();
  }

  private onMessage(rec: WorkerRecord, msg: unknown): void {
    if (!isFromWorker(msg)) return;
    rec.lastBeat = performance.now();
    switch (msg.t) {
      case 'hb':
        rec.requests = msg.requests;
        // The channel is shared with the app, and a worker of another tgun version may send other shapes.
        if (isWorkerStatsSample(msg.stats)) rec.stats = mergeSample(rec.stats, msg.stats);
        if (isWorkerSnapshot(msg.metrics)) rec.metrics = msg.metrics;
        return;
      case 'conns':
        this.balance.report(rec, msg.open);
        return;
      case 'booted':
        rec.booted = true;
        this.host.log.debug(`Worker booted (pid: ${rec.pid})`);
        break;
      case 'retiring':
        rec.retiring = true;
        this.vacated.push(rec.restarts + 1);
        break;
      case 'exiting':
        rec.ranWorkerExit = true;
        break;
    }
    this.balance.changed();
    this.host.onChange();
  }

  /**
   * Asks a worker to stop: over IPC first (an app's own TERM handler cannot then race the drain), by signal
   * when the channel is gone. A graceful stop may later be made quick; the watchdog kills at the deadline.
   */
  stop(rec: WorkerRecord, graceful: boolean): void {
    if (rec.exit || !rec.child) return;
    if (rec.stopping && (graceful || !rec.stopping.graceful)) return;
    const graceMs = this.host.config.gracefulTimeout * 1000;
    const deadline = performance.now() + (graceful ? graceMs : Math.min(graceMs, 2000));
    rec.stopping = { graceful, deadline };
    this.balance.changed();
    const msg: StopMessage = { t: 'stop', graceful };
    if (rec.child.connected) {
      rec.child.send(msg, (err) => {
        if (err) this.signal(rec, graceful ? 'SIGTERM' : 'SIGQUIT');
      });
    } else {
      this.signal(rec, graceful ? 'SIGTERM' : 'SIGQUIT');
    }
  }

  /** Sends `signal` to a live worker; used for USR1 forwarding and by the watchdog (ABRT, KILL). */
  signal(rec: WorkerRecord, signal: NodeJS.Signals): void {
    if (rec.exit || rec.pid === 0) return;
    if (signal === 'SIGKILL') rec.killed = true;
    try {
      process.kill(rec.pid, signal);
    } catch {
      // Already gone; its exit event is on the way.
    }
  }
}
