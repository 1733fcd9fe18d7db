/**
 * The arbiter's side of the control socket: {@link ControlHandler} over the live arbiter. Reads are cheap
 * snapshots of state the loop already keeps; every action is queued as its signal equivalent, so a
 * `tgun ctl reload` and a HUP take the same path through the loop.
 */
import { performance } from 'node:perf_hooks';
import { configEntries } from '../control/config-entries.js';
import type { ControlHandler, QueuedCommand, StatusInfo } from '../control/handler.js';
import type { WorkerInfo, WorkerState } from '../control/stats.js';
import { VERSION } from '../version.js';
import type { Arbiter } from './arbiter.js';
import type { ArbiterEvent } from './queue.js';
import type { WorkerRecord } from './record.js';

/** The queue event each control command stands for. */
const EVENTS: Record<QueuedCommand, ArbiterEvent> = {
  hup: 'HUP',
  'rolling-reload': 'ROLLING',
  ttin: 'TTIN',
  ttou: 'TTOU',
  term: 'TERM',
  int: 'INT',
  usr1: 'USR1',
};

function stateOf(w: WorkerRecord): WorkerState {
  if (w.exit) return 'exited';
  if (w.stopping) return 'stopping';
  if (w.retiring) return 'retiring';
  return w.booted ? 'ready' : 'booting';
}

const seconds = (ms: number) => Math.max(0, Math.round(ms / 100) / 10);

/** One `tgun ctl workers` row; `nowMono` is `performance.now()`, `nowWall` is `Date.now()`. */
export function workerInfo(w: WorkerRecord, nowMono: number, nowWall: number): WorkerInfo {
  const sample = w.stats?.sample;
  return {
    id: w.age,
    pid: w.pid,
    state: stateOf(w),
    generation: w.generation,
    uptime: seconds(nowWall - w.spawnedAt),
    // The plain heartbeat count is sent on every beat, the sample only once a second: take the newer.
    requests: Math.max(w.requests, sample?.requests ?? 0),
    inFlight: sample?.inFlight ?? null,
    rss: sample?.rss ?? null,
    cpu: w.stats?.cpuPercent ?? null,
    // lastBeat starts at the spawn; until the worker has said anything there is no heartbeat to report.
    heartbeat: w.booted || w.stats ? seconds(nowMono - w.lastBeat) : null,
    restarts: w.restarts,
  };
}

/** The arbiter's facts for `tgun ctl status`. */
export function statusInfo(arb: Arbiter): StatusInfo {
  const q = arb.queue;
  return {
    pid: process.pid,
    version: VERSION,
    name: arb.procName,
    startedAt: arb.startedAt,
    binds: arb.listeners.map((l) => l.name),
    configFile: arb.configFile,
    workers: {
      // TTOU never stops the last worker, so the queued target does not go below one (unless WINCH made it 0).
      wanted: Math.max(Math.min(arb.numWorkers, 1), arb.numWorkers + q.count('TTIN') - q.count('TTOU')),
      alive: arb.pool.all().filter((w) => w.exit === null && w.pid !== 0).length,
    },
    parentMaster: arb.masterPid === 0 ? null : arb.masterPid,
    reexecChild: arb.reexecChild?.pid ?? null,
  };
}

/** The control handler of `arb`. */
export function controlHandler(arb: Arbiter): ControlHandler {
  return {
    status: () => statusInfo(arb),
    workers: () => {
      const nowMono = performance.now();
      const nowWall = Date.now();
      return arb.pool.all().map((w) => workerInfo(w, nowMono, nowWall));
    },
    config: () => configEntries(arb.config, arb.origins),
    enqueue: (command, count = 1) => {
      for (let i = 0; i < count; i++) arb.queue.push(EVENTS[command]);
    },
  };
}
