/**
 * The worker's heartbeat: a small IPC message sent from its event loop. If the loop blocks (`while (true)`),
 * beats stop and the arbiter's watchdog aborts, then kills, the worker. The request count rides along, so
 * serving requests never costs an IPC message; every `beatsPerSample(intervalMs)` beats (at most once a
 * second) the beat also carries a process sample (`stats`) and the Prometheus snapshot (`metrics`), unless the
 * bench-only {@link STATS_OFF} switch is on.
 */
import { beatsPerSample, sampleProcess } from '../control/stats.js';
import type { HeartbeatMessage } from '../ipc/messages.js';
import { type RequestStats, STATS_OFF, snapshotStats, workerStats } from './request-stats.js';
import { tell } from './tell.js';

/** Builds the beat with number `n` (0 for the first): plain on most beats, with stats on every `every`-th. */
export function heartbeatMessage(n: number, every: number, requests: number, stats: RequestStats): HeartbeatMessage {
  if (n % every !== 0) return { t: 'hb', requests };
  const sample = sampleProcess(requests, stats.inFlight);
  return { t: 'hb', requests, stats: sample, metrics: snapshotStats(stats, sample.rss) };
}

/** Starts beating every `intervalMs`; returns a function that stops it. */
export function startHeartbeat(intervalMs: number, requests: () => number): () => void {
  const every = beatsPerSample(intervalMs);
  let n = 0;
  const beat = STATS_OFF
    ? () => tell({ t: 'hb', requests: requests() })
    : () => {
        tell(heartbeatMessage(n++, every, requests(), workerStats));
      };
  beat();
  const timer = setInterval(beat, intervalMs);
  // The beat alone must never keep a finished worker alive.
  timer.unref();
  return () => clearInterval(timer);
}
