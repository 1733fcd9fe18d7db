/**
 * HUP, gunicorn's `reload()`: read the configuration again (same command line, config file re-read), apply
 * it to the arbiter (worker count, log, `rawEnv`, pidfile, title, listeners if `bind` changed, the metrics
 * endpoint, control socket and StatsD client if their settings changed), run
 * `onReload`, then replace the workers. A configuration that no longer loads is reported and changes
 * nothing: the running workers keep serving.
 */
import { loadConfig } from '../config/load.js';
import { setTitle, masterTitle } from '../ipc/titles.js';
import type { ErrorLog } from '../logging/logger.js';
import { countLogLevels, openLogs } from '../logging/open.js';
import type { TgunConfig } from '../settings/registry.js';
import type { Arbiter } from './arbiter.js';
import { Pidfile } from './pidfile.js';
import { rebind } from './rebind.js';
import { type ReloadStrategy, replaceWorkers } from './replace.js';
import { reapplyServices } from './services.js';

/** What started the reload: a HUP, or `--reload` seeing a file change. */
export type ReloadTrigger = 'hup' | 'watch';

/** Settings that shape the arbiter's logs: when one changes, a HUP opens new logs instead of reopening files. */
const LOG_SETTINGS = [
  'errorLog',
  'logLevel',
  'accessLog',
  'logConfigJson',
  'syslog',
  'syslogAddr',
  'syslogPrefix',
  'syslogFacility',
  'disableRedirectAccessToSyslog',
  'procName',
  'statsdHost',
  'statsdPrefix',
  'dogstatsdTags',
] as const satisfies readonly (keyof TgunConfig)[];

/** The StatsD client counting each log's levels, closed with the log it counts for. */
const counters = new WeakMap<ErrorLog, () => void>();

async function reopenLog(arb: Arbiter, next: TgunConfig): Promise<void> {
  const prev = arb.config;
  if (LOG_SETTINGS.every((k) => JSON.stringify(prev[k]) === JSON.stringify(next[k]))) {
    arb.log.reopen();
    return;
  }
  let log: ErrorLog;
  try {
    log = openLogs(next, arb.appUri);
  } catch (err) {
    arb.log.exception(`Could not open the error log ${next.errorLog}; keeping the current one`, err);
    return;
  }
  const old = arb.log;
  arb.log = log;
  old.close();
  counters.get(old)?.();
  const close = await countLogLevels(log, next).catch((err) => {
    log.warning(`StatsD: ${(err as Error).message}`);
    return undefined;
  });
  if (close) counters.set(log, close);
}

function movePidfile(arb: Arbiter, next: TgunConfig): void {
  const wanted = new Pidfile(next.pidfile, next.chdir);
  if (wanted.path === arb.pidfile.path) return;
  try {
    wanted.create();
    arb.pidfile.unlink();
    arb.pidfile = wanted;
  } catch (err) {
    arb.log.exception('Could not move the pidfile; keeping the current one', err);
  }
}

/** Reloads configuration and workers. */
export async function reload(arb: Arbiter, trigger: ReloadTrigger, strategy?: ReloadStrategy): Promise<void> {
  const loaded = await loadConfig(arb.inputs);
  if (!loaded.ok) {
    arb.log.error(`Reload failed, the running configuration and workers are kept:\n${loaded.message}`);
    return;
  }
  const next = loaded.config;
  if (next.chdir !== arb.config.chdir) {
    try {
      process.chdir(next.chdir);
    } catch {
      arb.log.error(`Reload failed, can't chdir to ${next.chdir}; the running configuration and workers are kept.`);
      return;
    }
  }
  await reopenLog(arb, next);
  await rebind(arb, next);
  movePidfile(arb, next);
  arb.applyRawEnv(next.rawEnv);
  arb.config = next;
  arb.origins = loaded.origins;
  arb.configFile = loaded.configFile;
  arb.configSource = loaded.configSource;
  arb.appUri = loaded.appUri ?? arb.appUri;
  await reapplyServices(arb);
  if (arb.numWorkers !== next.workers || trigger === 'hup') arb.setNumWorkers(next.workers);
  await arb.callHook('onReload', () => next.onReload(arb.server));
  setTitle(masterTitle(arb.procName, arb.masterPid !== 0));
  arb.bootBroken = false;
  await replaceWorkers(arb, strategy);
}
