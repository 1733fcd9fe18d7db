/**
 * The arbiter's side services, each optional and each off the request path: the control socket
 * (`tgun ctl`), the `--metrics-bind` endpoint and the StatsD `workers` gauge. Each registers its own shutdown
 * with the arbiter, which runs it in `halt()`.
 */
import { ControlSocketError, startControlServer } from '../control/server.js';
import { controlSocketLocation } from '../control/paths.js';
import type { MetricsSnapshot } from '../metrics/prometheus.js';
import type { Arbiter } from './arbiter.js';
import { controlHandler } from './control.js';

/**
 * Opens the control socket unless `--no-control-socket`. A socket that cannot be created (a live arbiter
 * already answers there, an unusable directory) is logged and the arbiter carries on without one: the
 * control socket is a convenience, signals still work.
 */
export async function startControl(arb: Arbiter): Promise<void> {
  const where = controlSocketLocation(arb.config, arb.procName, process.env);
  if (!where) return;
  try {
    arb.control = await startControlServer({
      path: where.path,
      privateDir: where.privateDir,
      mode: arb.config.controlSocketMode,
      log: arb.log,
      handler: controlHandler(arb),
    });
  } catch (err) {
    if (!(err instanceof ControlSocketError)) throw err;
    arb.log.error(`${err.message}; running without a control socket`);
  }
}

/** What `/metrics` shows: live workers' last snapshots, exited ones folded into the retired totals. */
export function metricsSnapshot(arb: Arbiter): MetricsSnapshot {
  const workers = [];
  // Exited but not yet reaped workers still count as live here: their totals move to `retired` when reaped.
  for (const w of arb.pool.all()) if (w.metrics) workers.push(w.metrics);
  return {
    workers,
    retired: arb.pool.retired,
    restarts: arb.pool.restartsTotal,
    timeouts: arb.pool.timeouts,
    targetWorkers: arb.numWorkers,
  };
}

/**
 * Starts the `--metrics-bind` endpoint when configured; rejects when its address cannot be bound, so the
 * arbiter refuses to start rather than run without the probes its orchestrator relies on.
 */
export async function startMetrics(arb: Arbiter): Promise<void> {
  const bind = arb.config.metricsBind;
  if (!bind) return;
  const { startMetricsServer } = await import('../metrics/server.js');
  const server = await startMetricsServer({
    bind,
    log: arb.log,
    source: {
      snapshot: () => metricsSnapshot(arb),
      ready: () => arb.pool.all().some((w) => w.booted && w.exit === null),
    },
  });
  arb.closers.push(() => server.close());
}

/** Sends the StatsD `workers` gauge whenever the number of live workers changes (gunicorn's `workers` metric). */
export async function startStatsd(arb: Arbiter): Promise<void> {
  const host = arb.config.statsdHost;
  if (!host) return;
  const { createStatsd } = await import('../metrics/statsd.js');
  let warned = false;
  const statsd = await createStatsd({
    host,
    prefix: arb.config.statsdPrefix,
    tags: arb.config.dogstatsdTags,
    onError: (err) => {
      // One line is enough: a missing StatsD server would otherwise log on every gauge.
      if (warned) return;
      warned = true;
      arb.log.warning(`StatsD: ${err.message}`);
    },
  });
  let last = -1;
  arb.onWorkerCount = (n) => {
    if (n === last) return;
    last = n;
    statsd.workers(n);
  };
  arb.closers.push(() => statsd.close());
}
