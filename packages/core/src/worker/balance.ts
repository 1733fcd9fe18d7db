/**
 * `--connection-balance fair-share`, the worker's half. The kernel gives each connection on the shared accept
 * queue to whichever worker polls first, so a burst of long-lived connections can pile onto one worker. Here a
 * worker stops accepting while it holds its fair share (`fairShareLimit`) and the other workers take the next
 * connections from the queue; the arbiter only relays counts (`arbiter/balance.ts`) and never accepts.
 *
 * The worker knows its own count exactly and the others' as last reported. It reports its count only once the
 * count has moved by {@link REPORT_STEP} (and at most every {@link REPORT_EVERY_MS}), so steady traffic, or
 * close-per-request churn around a level, sends nothing.
 *
 * Why someone always accepts: once the reports in flight have landed, every known count is within
 * `REPORT_STEP − 1` of the true one. The worker with the fewest connections holds at most the mean `T/N`, and
 * what it knows of the total is at least `T − (N−1)(REPORT_STEP−1)`, so its limit is at least
 * `FAIR_RATIO·(T − (N−1)(REPORT_STEP−1))/N + SLACK`, which is more than `T/N` because `FAIR_RATIO ≥ 1` and
 * `SLACK > FAIR_RATIO·(REPORT_STEP−1)`. The safety valve covers what the argument cannot: a paused worker that
 * hears nothing for {@link VALVE_MS} resumes and asks the arbiter for fresh figures.
 *
 * The bound a burst cannot break: while connections only open, known counts trail the true ones, so a worker
 * accepts only while its count is below `fairShareLimit(total, N)` of the true total.
 */
import type { Server, Socket } from 'node:net';
import { type ConnectionsMessage, isPeersMessage } from '../ipc/messages.js';
import type { Logger } from '../logging/types.js';
import { type AcceptGate, acceptGate } from './connections.js';
import { tell } from './tell.js';

/** A report is due once the count has moved this far from the last one. */
export const REPORT_STEP = 4;
/** How far above the mean a worker may go: the mean times this, … */
export const FAIR_RATIO = 1.1;
/** … plus this many connections (more than `FAIR_RATIO × (REPORT_STEP − 1)`, see above). */
export const SLACK = 4;
/**
 * No worker pauses below this many connections: short requests (a connection each) churn around a few per
 * worker, and pausing there cost throughput in the bench without spreading anything long-lived.
 */
export const MIN_SHARE = 16;
/** At most one report per this many milliseconds, so close-per-request churn cannot flood the channel. */
export const REPORT_EVERY_MS = 20;
/** A paused worker without news from the arbiter for this long resumes. */
export const VALVE_MS = 5000;

/** The most connections one of `workers` accepting workers may hold when they hold `total` together. */
export function fairShareLimit(total: number, workers: number): number {
  return Math.max(MIN_SHARE, Math.ceil((total / workers) * FAIR_RATIO) + SLACK);
}

/** Balances the connections this worker accepts on `servers` against its siblings'. */
export function balanceConnections(servers: readonly Server[], log: Logger): void {
  const gates = servers.map(acceptGate).filter((g): g is AcceptGate => g !== null);
  if (gates.length === 0) return;
  let open = 0;
  let reported = 0;
  let lastReportAt = 0;
  let reportTimer: NodeJS.Timeout | null = null;
  let others = 0;
  /** Accepting workers as the arbiter last said; 0 until it has said (no pausing before that). */
  let workers = 0;
  let paused = false;
  let valve: NodeJS.Timeout | null = null;

  const send = () => {
    reported = open;
    lastReportAt = performance.now();
    const msg: ConnectionsMessage = { t: 'conns', open };
    tell(msg);
  };
  const report = () => {
    if (Math.abs(open - reported) < REPORT_STEP || reportTimer) return;
    const wait = lastReportAt + REPORT_EVERY_MS - performance.now();
    if (wait <= 0) return send();
    reportTimer = setTimeout(() => {
      reportTimer = null;
      if (Math.abs(open - reported) >= REPORT_STEP) send();
    }, wait);
    reportTimer.unref();
  };
  const setPaused = (on: boolean) => {
    if (on === paused) return;
    paused = on;
    for (const gate of gates) {
      if (on) gate.hold('balance');
      else gate.release('balance');
    }
    if (valve) clearTimeout(valve);
    valve = on ? armValve() : null;
  };
  const armValve = () => {
    const timer = setTimeout(() => {
      valve = null;
      log.debug(`Connection balance: no news from the arbiter for ${VALVE_MS} ms; accepting again`);
      // Stale figures are dropped until the arbiter answers the report below.
      workers = 0;
      setPaused(false);
      send();
    }, VALVE_MS);
    timer.unref();
    return timer;
  };
  const check = () => setPaused(workers > 1 && open >= fairShareLimit(open + others, workers));

  const closed = () => {
    open--;
    report();
    check();
  };
  for (const server of servers) {
    server.on('connection', (socket: Socket) => {
      open++;
      socket.once('close', closed);
      report();
      check();
    });
  }
  process.on('message', (msg: unknown) => {
    if (!isPeersMessage(msg)) return;
    if (msg.workers !== workers)
      log.debug(`Connection balance: ${msg.workers} accepting workers, ${msg.others} connections on the others`);
    others = msg.others;
    workers = msg.workers;
    if (paused && valve) {
      clearTimeout(valve);
      valve = armValve();
    }
    check();
  });
}
