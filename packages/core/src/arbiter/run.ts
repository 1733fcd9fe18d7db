/**
 * The arbiter's entry, called by the CLI once the configuration is valid: gunicorn's `Arbiter.__init__` +
 * `start()` + `run()`. Order: daemonize → error log → chdir, `rawEnv`, preload → `Starting tgun` → pidfile →
 * `onStarting` → signals → listeners (inherited or bound) → `Listening at:` → `whenReady` → the loop.
 */
import { isatty } from 'node:tty';
import { loadApp, parseAppUri, resolveModule } from '../app/load.js';
import type { ConfigInputs } from '../config/load.js';
import type { Origin } from '../config/problems.js';
import { EXIT, TgunError } from '../errors.js';
import { masterTitle, setTitle } from '../ipc/titles.js';
import { formatLine } from '../logging/format.js';
import type { ErrorLog } from '../logging/logger.js';
import { countLogLevels, openLogs } from '../logging/open.js';
import type { TgunConfig } from '../settings/registry.js';
import { takeInherited } from '../sockets/inherit.js';
import type { Listener } from '../sockets/listener.js';
import { createListeners } from '../sockets/listeners.js';
import { primeListeners } from '../sockets/prime.js';
import { isSocketActivated } from '../sockets/systemd.js';
import { VERSION } from '../version.js';
import { Arbiter } from './arbiter.js';
import { daemonize, settleDaemon, shouldDaemonize } from './daemon.js';
import { withoutHandover } from './env.js';
import { socketOwner } from './owner.js';
import { Pidfile } from './pidfile.js';
import { preflight } from './preflight.js';
import { PARENT_ENV } from './reexec.js';
import { watchSources } from './reload-watch.js';
import { startControl, startMetrics, startStatsd } from './services.js';
import { installMasterSignals } from './signals.js';

/** What the CLI hands over. */
export interface RunArbiterOptions {
  readonly config: TgunConfig;
  readonly inputs: ConfigInputs;
  readonly appUri: string;
  readonly configFile: string | null;
  /** The config file's text as loaded; workers evaluate this snapshot rather than the file on disk. */
  readonly configSource?: string | null;
  /** For a TypeScript config file, the debug line naming the loader that evaluated it. */
  readonly configLoadedWith?: string | null;
  /** Which layer set each setting, from `loadConfig` (for `tgun ctl config`); without it all show as defaults. */
  readonly origins?: Readonly<Record<string, Origin>>;
}

function shutdownEarly(log: ErrorLog, reason: string, status: number): number {
  log.info('Shutting down: Master');
  log.error(`Reason: ${reason}`);
  return status;
}

function appFile(appUri: string, cwd: string): string | null {
  try {
    return resolveModule(parseAppUri(appUri).module, cwd);
  } catch {
    return null;
  }
}

/** Runs the arbiter until it halts; resolves to the exit status (0, 1, 3, 4, or 255 for a loop crash). */
export async function runArbiter(opts: RunArbiterOptions): Promise<number> {
  const { config, appUri } = opts;
  const env = process.env;
  if (shouldDaemonize(config, env)) {
    daemonize(config, opts.inputs);
    return EXIT.ok;
  }
  settleDaemon(env);
  const masterPid = Number(env[PARENT_ENV] ?? 0) || 0;
  const socketActivated = isSocketActivated(env);
  const inherited = takeInherited(env);
  delete env[PARENT_ENV];
  const baseEnv = withoutHandover(env);
  const inputs: ConfigInputs = { argv: opts.inputs.argv, cwd: opts.inputs.cwd, env: baseEnv };

  let log: ErrorLog;
  try {
    log = openLogs(config, appUri);
  } catch (err) {
    process.stderr.write(
      formatLine('error', `Could not open the error log ${config.errorLog}: ${(err as Error).message}`),
    );
    return EXIT.config;
  }
  // The StatsD socket is unreferenced and lives as long as the process: the log counts until exit.
  await countLogLevels(log, config).catch((err) => log.warning(`StatsD: ${(err as Error).message}`));
  try {
    process.chdir(config.chdir);
  } catch {
    log.error(`can't chdir to ${config.chdir}`);
    return EXIT.config;
  }
  const problem = await preflight(config);
  if (problem) {
    log.error(problem);
    return shutdownEarly(log, problem, EXIT.config);
  }
  const pidfile = new Pidfile(config.pidfile, config.chdir);
  const arb = new Arbiter({
    config,
    inputs,
    appUri,
    log,
    pidfile,
    masterPid,
    baseEnv,
    socketActivated,
    // A terminal sends WINCH on every resize; only honour it where no terminal is attached (gunicorn: daemon only).
    winchAllowed: config.daemon || ![0, 1, 2].some((fd) => isatty(fd)),
    configFile: opts.configFile,
    configSource: opts.configSource ?? null,
    ...(opts.origins ? { origins: opts.origins } : {}),
  });
  if (config.preloadApp) {
    try {
      await loadApp(appUri, { cwd: config.chdir, adapter: config.adapter, log });
    } catch (err) {
      log.exception(`Failed to load application ${appUri}`, err);
      return shutdownEarly(log, 'App failed to load.', EXIT.appLoad);
    }
  }

  log.info(`Starting tgun ${VERSION}`);
  if (opts.configLoadedWith) log.debug(opts.configLoadedWith);
  try {
    pidfile.create();
  } catch (err) {
    log.error((err as Error).message);
    return EXIT.config;
  }
  await arb.callHook('onStarting', () => config.onStarting(arb.server));
  const uninstall = installMasterSignals(arb.queue);
  let listeners: Listener[] = inherited ?? [];
  try {
    if (!inherited) {
      listeners = await createListeners(config.bind, { umask: config.umask, log, owner: socketOwner(config) });
      primeListeners(listeners, config.backlog);
    }
  } catch (err) {
    if (!inherited) for (const l of listeners) l.close();
    if (!(err instanceof TgunError)) log.exception('Could not create the listeners', err);
    uninstall();
    pidfile.unlink();
    return shutdownEarly(log, err instanceof Error ? err.message : String(err), EXIT.config);
  }
  arb.listeners = listeners;
  try {
    await startMetrics(arb);
  } catch (err) {
    if (!inherited) for (const l of listeners) l.close();
    uninstall();
    pidfile.unlink();
    const reason = `Could not serve metrics at ${config.metricsBind}: ${(err as Error).message}`;
    return shutdownEarly(log, reason, EXIT.config);
  }
  log.debug('Arbiter booted');
  log.info(`Listening at: ${listeners.map((l) => l.name).join(', ')} (${process.pid})`);
  log.info(`Using worker: ${config.workerClass}`);
  arb.setNumWorkers(config.workers, null);
  await arb.callHook('whenReady', () => config.whenReady(arb.server));
  await startControl(arb);
  await startStatsd(arb);
  setTitle(masterTitle(arb.procName, masterPid !== 0));
  if (config.reload) {
    log.warning('Reloader is on. Use in development only!');
    arb.stopWatching = watchSources({
      appFile: appFile(appUri, config.chdir),
      extraFiles: config.reloadExtraFiles,
      engine: config.reloadEngine,
      cwd: config.chdir,
      onChange: (file) => {
        arb.log.info(`Worker reloading: ${file} modified`);
        arb.queue.push('WATCH');
      },
    });
  }
  const status = await arb.run();
  uninstall();
  if (arb.mustExitAbruptly) process.exit(status);
  // Everything is closed by now; if some stray handle still holds the loop open, do not hang on it.
  setTimeout(() => process.exit(status), 2000).unref();
  return status;
}
