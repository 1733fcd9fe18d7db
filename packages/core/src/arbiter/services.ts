/**
 * The arbiter's side services, each optional and each off the request path: the control socket
 * (`tgun ctl`), the `--metrics-bind` endpoint and the StatsD `workers` gauge. Each is closed in `halt()`.
 * A HUP re-applies them ({@link reapplyServices}): a changed address opens the new service before closing
 * the old one, so a new address that cannot be used leaves the old service running.
 */
import { ControlSocketError, startControlServer } from '../control/server.js';
import { controlSocketLocation } from '../control/paths.js';
import type { MetricsSnapshot } from '../metrics/prometheus.js';
import type { MetricsServer } from '../metrics/server.js';
import type { StatsdClient } from '../metrics/statsd.js';
import type { TgunConfig } from '../settings/registry.js';
import type { Arbiter } from './arbiter.js';
import { controlHandler } from './control.js';

/** What one arbiter runs now, and the settings each was started from (to tell on HUP whether they changed). */
interface Services {
  metrics: { readonly bind: string; readonly server: MetricsServer } | null;
  statsd: { readonly key: string; readonly client: StatsdClient } | null;
  /** The control socket path the running config asks for (the socket itself may sit at `.oldbin` after USR2). */
  controlWanted: string | null;
}

const running = new WeakMap<Arbiter, Services>();

/** This arbiter's services; the first call registers their shutdown with `halt()`. */
function servicesOf(arb: Arbiter): Services {
  const known = running.get(arb);
  if (known) return known;
  const s: Services = { metrics: null, statsd: null, controlWanted: null };
  running.set(arb, s);
  arb.closers.push(async () => {
    const { metrics, statsd } = s;
    s.metrics = null;
    s.statsd = null;
    await metrics?.server.close();
    statsd?.client.close();
  });
  return s;
}

/** Opens the control socket for `config`, or rejects (the caller decides whether that is fatal). */
async function openControl(arb: Arbiter, path: string, privateDir: boolean, config: TgunConfig) {
  return startControlServer({
    path,
    privateDir,
    mode: config.controlSocketMode,
    log: arb.log,
    handler: controlHandler(arb),
  });
}

/**
 * Opens the control socket unless `--no-control-socket`. A socket that cannot be created (a live arbiter
 * already answers there, an unusable directory) is logged and the arbiter carries on without one: the
 * control socket is a convenience, signals still work.
 */
export async function startControl(arb: Arbiter): Promise<void> {
  const where = controlSocketLocation(arb.config, arb.procName, process.env);
  servicesOf(arb).controlWanted = where?.path ?? null;
  if (!where) return;
  try {
    arb.control = await openControl(arb, where.path, where.privateDir, arb.config);
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

async function openMetrics(arb: Arbiter, bind: string): Promise<MetricsServer> {
  const { startMetricsServer } = await import('../metrics/server.js');
  return startMetricsServer({
    bind,
    log: arb.log,
    source: {
      snapshot: () => metricsSnapshot(arb),
      ready: () => arb.pool.all().some((w) => w.booted && w.exit === null),
    },
  });
}

/**
 * Starts the `--metrics-bind` endpoint when configured; rejects when its address cannot be bound, so the
 * arbiter refuses to start rather than run without the probes its orchestrator relies on.
 */
export async function startMetrics(arb: Arbiter): Promise<void> {
  const bind = arb.config.metricsBind;
  if (!bind) return;
  const server = await openMetrics(arb, bind);
  servicesOf(arb).metrics = { bind, server };
}

/** The settings a StatsD client is built from; a HUP that changes this string recreates the client. */
function statsdKey(config: TgunConfig): string {
  return JSON.stringify([config.statsdHost, config.statsdPrefix, config.dogstatsdTags]);
}

/** Sends the StatsD `workers` gauge whenever the number of live workers changes (gunicorn's `workers` metric). */
export async function startStatsd(arb: Arbiter): Promise<void> {
  const config = arb.config;
  const host = config.statsdHost;
  if (!host) return;
  const { createStatsd } = await import('../metrics/statsd.js');
  let warned = false;
  const client = await createStatsd({
    host,
    prefix: config.statsdPrefix,
    tags: config.dogstatsdTags,
    onError: (err) => {
      // One line is enough: a missing StatsD server would otherwise log on every gauge.
      if (warned) return;
      warned = true;
      arb.log.warning(`StatsD: ${err.message}`);
    },
  });
  // A fresh client (at start or after a HUP) sends the current count once, then only changes.
  let last = -1;
  arb.onWorkerCount = (n) => {
    if (n === last) return;
    last = n;
    client.workers(n);
  };
  servicesOf(arb).statsd = { key: statsdKey(config), client };
}

const why = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function reapplyMetrics(arb: Arbiter, s: Services): Promise<void> {
  const bind = arb.config.metricsBind ?? '';
  const old = s.metrics;
  if ((old?.bind ?? '') === bind) return;
  if (bind !== '') {
    try {
      s.metrics = { bind, server: await openMetrics(arb, bind) };
    } catch (err) {
      const keep = old ? `keeping the endpoint at ${old.bind}` : 'running without one';
      arb.log.error(`Could not serve metrics at ${bind}: ${why(err)}; ${keep}`);
      return;
    }
  } else {
    s.metrics = null;
  }
  if (old) {
    await old.server.close();
    arb.log.info(`Closed the metrics endpoint at ${old.bind}`);
  }
}

async function reapplyControl(arb: Arbiter, s: Services): Promise<void> {
  const where = controlSocketLocation(arb.config, arb.procName, process.env);
  const path = where?.path ?? null;
  if (path === s.controlWanted) return;
  const old = arb.control;
  if (where) {
    try {
      arb.control = await openControl(arb, where.path, where.privateDir, arb.config);
    } catch (err) {
      const keep = old ? `keeping the control socket at ${old.path}` : 'running without one';
      arb.log.error(`Could not open the control socket ${where.path}: ${why(err)}; ${keep}`);
      return;
    }
  } else {
    arb.control = null;
  }
  s.controlWanted = path;
  if (old) {
    await old.close();
    arb.log.info(`Closed the control socket at ${old.path}`);
  }
}

async function reapplyStatsd(arb: Arbiter, s: Services): Promise<void> {
  const key = arb.config.statsdHost ? statsdKey(arb.config) : null;
  const old = s.statsd;
  if ((old?.key ?? null) === key) return;
  if (key !== null) {
    try {
      // Replaces `s.statsd` and `onWorkerCount` only once the new client exists.
      await startStatsd(arb);
    } catch (err) {
      arb.log.error(`Could not start StatsD for ${arb.config.statsdHost}: ${why(err)}; keeping the previous client`);
      return;
    }
  } else {
    s.statsd = null;
    arb.onWorkerCount = () => {};
  }
  old?.client.close();
}

/**
 * HUP, after `arb.config` holds the reloaded configuration: re-applies `metricsBind`, the control socket
 * (`controlSocket`, or a default path that moved with `pidfile`/`procName`) and StatsD (`statsdHost`,
 * `statsdPrefix`, `dogstatsdTags`). Unchanged services are left alone. A changed one is opened first and the
 * old one closed after; if the new one fails, the error is logged and the old one keeps running. Never throws:
 * a side service must not take the arbiter down.
 */
export async function reapplyServices(arb: Arbiter): Promise<void> {
  const s = servicesOf(arb);
  for (const step of [reapplyMetrics, reapplyControl, reapplyStatsd]) {
    try {
      await step(arb, s);
    } catch (err) {
      arb.log.exception('Could not re-apply a side service after the reload', err);
    }
  }
}
