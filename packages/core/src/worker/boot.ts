/**
 * The boot sequence of a worker, gunicorn's `init_process` order: configuration → `Booting worker` →
 * `postFork` → privilege drop → load the app → the configuration again, with the app's framework settings →
 * `postWorkerInit` → listen on the inherited sockets → report booted. A failure before the end exits 4 when the app could not be loaded and 3 for anything else, which
 * makes the arbiter halt instead of respawning forever.
 */
import type { ServedApp } from '../adapter.js';
import { loadApp } from '../app/load.js';
import { type LoadedConfig, loadConfig } from '../config/load.js';
import type { BootedMessage, InitMessage, RetiringMessage } from '../ipc/messages.js';
import { formatLine } from '../logging/format.js';
import type { ErrorLog } from '../logging/logger.js';
import { countLogLevels, openLogs } from '../logging/open.js';
import { balanceConnections } from './balance.js';
import { capConnections } from './connections.js';
import { WORKER_EXIT } from './exit-codes.js';
import { dropPrivileges } from './privileges.js';
import { guardListener, instrumentServer, type RequestState, requestPath } from './requests.js';
import { type Serving, serve } from './serve.js';
import type { SignalActions } from './signals.js';
import { createStop, exitWorker, type StopKind } from './stop.js';
import { tell } from './tell.js';
import { arbiterViewInWorker, selfView } from './view.js';

/**
 * Logs why boot failed and exits with `code` (the arbiter turns 3/4 into a halt). The worker has not run
 * `workerExit`, so it does not claim to: the arbiter runs the hook for it when it reaps the worker.
 */
function bootFailure(log: ErrorLog | null, message: string, err: unknown, code: number): Promise<never> {
  if (log) log.exception(message, err);
  else process.stderr.write(formatLine('error', `${message}\n${err instanceof Error ? err.message : String(err)}`));
  process.exit(code);
}

/**
 * The configuration with the app's framework settings (Express `trust proxy`…) as the layer just above the
 * defaults. A framework value tgun rejects is the app's business, not a reason to take the worker down: warn
 * and serve with the configuration as it was.
 */
async function withFramework(
  init: InitMessage,
  base: LoadedConfig,
  app: ServedApp,
  adapterName: string,
  log: ErrorLog,
): Promise<LoadedConfig> {
  if (!app.settings || Object.keys(app.settings).length === 0) return base;
  const layered = await loadConfig(init.inputs, { name: adapterName, values: app.settings });
  if (layered.ok) return layered;
  log.warning(`Ignoring the ${adapterName} app's framework settings:\n${layered.message}`);
  return base;
}

/** Runs the boot sequence; on success the worker is serving and `actions` drive its shutdown. */
export async function bootWorker(
  init: InitMessage,
  actions: SignalActions,
  counters: { requests: number; booted: boolean },
): Promise<void> {
  const loaded = await loadConfig(init.inputs);
  if (!loaded.ok)
    return bootFailure(null, 'Worker could not load the configuration', loaded.message, WORKER_EXIT.bootFailed);
  let config = loaded.config;
  let log: ErrorLog;
  try {
    log = openLogs(config, init.appUri);
  } catch (err) {
    return bootFailure(null, `Worker could not open the error log ${config.errorLog}`, err, WORKER_EXIT.bootFailed);
  }
  actions.reopen = () => log.reopen();
  await countLogLevels(log, config).catch((err) => log.warning(`StatsD: ${(err as Error).message}`));
  actions.ignored = (sig) => log.debug(`worker: ${sig} ignored.`);
  log.info(`Booting worker with pid: ${process.pid}`);
  if (loaded.configLoadedWith) log.debug(loaded.configLoadedWith);

  const maxRequests = init.maxRequests > 0 ? init.maxRequests : Number.POSITIVE_INFINITY;
  const view = selfView(init, counters, maxRequests, log);
  const server = arbiterViewInWorker(init, config, log);
  let stop: (kind: StopKind) => void = () => exitWorker(WORKER_EXIT.ok);
  // The same object the heartbeat reads, so the count needs no accessor on the request path.
  const state: RequestState = Object.assign(counters, {
    maxRequests,
    draining: false,
    onLimit() {
      log.info('Autorestarting worker after current request.');
      const msg: RetiringMessage = { t: 'retiring', reason: 'max-requests' };
      tell(msg);
      setImmediate(() => stop('graceful'));
    },
  });

  let app: ServedApp;
  let adapterName: string;
  let serving: Serving;
  try {
    await config.postFork(server, view);
    dropPrivileges({ user: config.user, group: config.group, initgroups: config.initgroups });
  } catch (err) {
    return bootFailure(log, 'Exception in worker process', err, WORKER_EXIT.bootFailed);
  }
  try {
    // The app's own listen() is redirected to the first inherited socket only while it loads, before any
    // server of tgun's listens.
    const selfListenFd = init.listeners[0]?.fd;
    ({ app, adapterName } = await loadApp(init.appUri, {
      cwd: config.chdir,
      adapter: config.adapter,
      log,
      ...(selfListenFd === undefined ? {} : { selfListenFd }),
    }));
    await app.ready?.();
  } catch (err) {
    return bootFailure(log, `Failed to load application ${init.appUri}`, err, WORKER_EXIT.appLoadFailed);
  }
  const layered = await withFramework(init, loaded, app, adapterName, log);
  config = layered.config;
  try {
    // Before the first accept, as gunicorn's post_worker_init runs before its serving loop.
    await config.postWorkerInit(view);
    // origins tell serve() whether keepAlive was set by the user (apply it to an app's own server) or is a default;
    // config and log switch on the HTTP pipeline (limits, proxy trust, PROXY protocol, TLS, access log, StatsD).
    const opts = {
      backlog: config.backlog,
      keepAliveMs: config.keepAlive * 1000,
      origins: layered.origins,
      config,
      log,
    };
    serving = await serve(app, init.listeners, opts, {
      wrap: (listener) => requestPath(state, view, config, log, guardListener(listener, log)),
      instrument: (http) => instrumentServer(http, state, view, config, log),
    });
    capConnections(serving.listening, config.workerConnections, log);
    if (config.connectionBalance === 'fair-share') balanceConnections(serving.listening, log);
  } catch (err) {
    return bootFailure(log, 'Exception in worker process', err, WORKER_EXIT.bootFailed);
  }

  stop = createStop({ config, log, view, server, state, app, serving });
  actions.graceful = () => stop('graceful');
  actions.quick = () => stop('quick');
  actions.abort = () => stop('abort');
  actions.orphaned = () => {
    log.info(`Parent changed, shutting down: <Worker ${process.pid}>`);
    stop('graceful');
  };
  actions.crash = (err) => {
    log.exception(`Unhandled error in worker (pid: ${process.pid}); draining and exiting`, err);
    stop('crash');
  };
  counters.booted = true;
  const booted: BootedMessage = { t: 'booted' };
  tell(booted);
}
