/**
 * `SimpleArbiter`: a small but real {@link ControlHandler} for the control-* and ctl-* tests, until the arbiter
 * starts the control server itself. Its workers are real child processes that serve HTTP on loopback and report
 * stats over IPC the way tgun workers are to (a heartbeat carrying a stats sample); commands go through a queue
 * drained by one loop, as in the arbiter.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../src/config/load.js';
import { configEntries } from '../src/control/config-entries.js';
import type { ConfigEntry, ControlHandler, QueuedCommand, StatusInfo } from '../src/control/handler.js';
import { isWorkerStatsSample, mergeSample, type WorkerInfo, type WorkerStats } from '../src/control/stats.js';
import { isRunning, processesWithEnv } from '../src/testing/processes.js';

const MARK_ENV = 'TGUN_CONTROL_TEST_MARK';

const WORKER_SCRIPT = `
import http from 'node:http';
import { performance } from 'node:perf_hooks';
let requests = 0, inFlight = 0;
const server = http.createServer((req, res) => {
  requests++; inFlight++;
  res.on('close', () => inFlight--);
  res.end(String(process.pid));
});
server.listen(0, '127.0.0.1', () => process.send({ t: 'booted', port: server.address().port }));
const beat = () => {
  const c = process.cpuUsage();
  const stats = { requests, inFlight, rss: process.memoryUsage.rss(), cpuMicros: c.user + c.system, at: performance.now() };
  process.send({ t: 'hb', requests, stats });
};
setInterval(beat, 200);
process.on('message', (m) => { if (m && m.t === 'stop') process.exit(0); });
process.on('disconnect', () => process.exit(0));
`;

interface Rec {
  readonly id: number;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly generation: number;
  readonly startedAt: number;
  booted: boolean;
  stopping: boolean;
  exited: boolean;
  port: number | null;
  requests: number;
  lastBeat: number | null;
  stats: WorkerStats | null;
}

/** Sends a signal to a pid that may have exited already. */
function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Gone already; its exit event is on the way.
  }
}

/** A minimal arbiter: real worker processes, a command queue, one loop. */
export class SimpleArbiter implements ControlHandler {
  readonly mark = randomUUID();
  readonly startedAt = Date.now();
  numWorkers: number;
  generation = 1;
  reopened = 0;
  stopped: 'term' | 'int' | null = null;
  configEntries: ConfigEntry[] = [];
  private readonly queue: QueuedCommand[] = [];
  private readonly recs: Rec[] = [];
  private nextId = 1;
  private draining = false;
  private disposed = false;

  constructor(workers: number) {
    this.numWorkers = workers;
  }

  /** Spawns the initial workers and loads a real configuration for `config`. */
  async start(): Promise<this> {
    // An empty directory, so no stray tgun.config.* is picked up.
    const cwd = mkdtempSync(join(tmpdir(), 'tgun-ctl-cfg-'));
    const loaded = await loadConfig({ argv: ['--workers', String(this.numWorkers), 'app.mjs'], env: {}, cwd });
    rmSync(cwd, { recursive: true, force: true });
    if (!loaded.ok) throw new Error(loaded.message);
    this.configEntries = configEntries(loaded.config, loaded.origins);
    for (let i = 0; i < this.numWorkers; i++) this.spawn();
    await this.until(() => this.live().every((r) => r.booted && r.stats !== null));
    return this;
  }

  status(): StatusInfo {
    const pending = this.queue.filter((c) => c === 'ttin').length - this.queue.filter((c) => c === 'ttou').length;
    return {
      pid: process.pid,
      version: '0.0.0-test',
      name: 'app.mjs',
      startedAt: this.startedAt,
      binds: this.live().map((r) => `http://127.0.0.1:${r.port}`),
      configFile: null,
      workers: { wanted: this.numWorkers + pending, alive: this.live().length },
      parentMaster: null,
      reexecChild: null,
    };
  }

  workers(): WorkerInfo[] {
    const now = Date.now();
    return this.live().map((r) => ({
      id: r.id,
      pid: r.pid,
      state: r.stopping ? 'stopping' : r.booted ? 'ready' : 'booting',
      generation: r.generation,
      uptime: (now - r.startedAt) / 1000,
      requests: r.requests,
      inFlight: r.stats?.sample.inFlight ?? null,
      rss: r.stats?.sample.rss ?? null,
      cpu: r.stats?.cpuPercent ?? null,
      heartbeat: r.lastBeat === null ? null : (now - r.lastBeat) / 1000,
      restarts: 0,
    }));
  }

  config(): ConfigEntry[] {
    return this.configEntries;
  }

  enqueue(command: QueuedCommand, count = 1): void {
    for (let i = 0; i < count; i++) this.queue.push(command);
    if (!this.draining) void this.drain();
  }

  /** Pids of workers that are running and not stopping, oldest first. */
  activePids(): number[] {
    return this.live()
      .filter((r) => !r.stopping)
      .map((r) => r.pid);
  }

  /** The loopback ports of active workers. */
  ports(): number[] {
    return this.live()
      .filter((r) => !r.stopping && r.port !== null)
      .map((r) => r.port as number);
  }

  /** Kills every worker (SIGKILL, by pid) and waits until none is left. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.queue.length = 0;
    for (const r of this.recs) if (!r.exited) kill(r.pid, 'SIGKILL');
    await this.until(() => this.recs.every((r) => r.exited));
  }

  /** Live processes this arbiter started (should be none after {@link dispose}). */
  leftovers(): number[] {
    return processesWithEnv(MARK_ENV, this.mark).filter(isRunning);
  }

  private live(): Rec[] {
    return this.recs.filter((r) => !r.exited);
  }

  private spawn(): Rec {
    if (this.disposed) throw new Error('SimpleArbiter: disposed');
    const child = spawn(process.execPath, ['--input-type=module', '-e', WORKER_SCRIPT], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, [MARK_ENV]: this.mark },
    });
    const rec: Rec = {
      id: this.nextId++,
      child,
      pid: child.pid ?? 0,
      generation: this.generation,
      startedAt: Date.now(),
      booted: false,
      stopping: false,
      exited: false,
      port: null,
      requests: 0,
      lastBeat: null,
      stats: null,
    };
    child.on('message', (msg: { t?: string; port?: number; requests?: number; stats?: unknown }) => {
      rec.lastBeat = Date.now();
      if (msg.t === 'booted') {
        rec.booted = true;
        rec.port = msg.port ?? null;
      } else if (msg.t === 'hb') {
        rec.requests = msg.requests ?? rec.requests;
        if (isWorkerStatsSample(msg.stats)) rec.stats = mergeSample(rec.stats, msg.stats);
      }
    });
    child.on('exit', () => {
      rec.exited = true;
    });
    this.recs.push(rec);
    return rec;
  }

  private stop(rec: Rec): void {
    rec.stopping = true;
    if (rec.child.connected) rec.child.send({ t: 'stop' }, () => {});
    else kill(rec.pid, 'SIGTERM');
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      for (let cmd = this.queue.shift(); cmd !== undefined && !this.disposed; cmd = this.queue.shift()) {
        await this.handle(cmd);
      }
    } catch (err) {
      // A command cut short by dispose() is expected; anything else is a harness bug worth seeing.
      if (!this.disposed) throw err;
    } finally {
      this.draining = false;
    }
  }

  private async handle(cmd: QueuedCommand): Promise<void> {
    const active = () => this.live().filter((r) => !r.stopping);
    switch (cmd) {
      case 'ttin':
        this.numWorkers++;
        this.spawn();
        return;
      case 'ttou': {
        const oldest = active()[0];
        if (this.numWorkers > 1 && oldest) {
          this.numWorkers--;
          this.stop(oldest);
        }
        return;
      }
      case 'hup':
      case 'rolling-reload': {
        const old = active();
        this.generation++;
        if (cmd === 'hup') {
          const fresh = Array.from({ length: this.numWorkers }, () => this.spawn());
          await this.until(() => fresh.every((r) => r.booted));
          for (const r of old) this.stop(r);
        } else {
          for (const r of old) {
            const fresh = this.spawn();
            await this.until(() => fresh.booted);
            this.stop(r);
          }
        }
        return;
      }
      case 'term':
      case 'int':
        this.stopped = cmd;
        for (const r of active()) this.stop(r);
        return;
      case 'usr1':
        this.reopened++;
    }
  }

  private async until(done: () => boolean, timeoutMs = 20_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!done() && !(this.disposed && this.recs.every((r) => r.exited))) {
      if (Date.now() > end) throw new Error('SimpleArbiter: timed out waiting');
      await sleep(20);
    }
  }
}
