/**
 * HUP, gunicorn's `reload()`: read the configuration again (same command line, config file re-read), apply
 * it to the arbiter (worker count, log, `rawEnv`, pidfile, title, listeners if `bind` changed), run
 * `onReload`, then replace the workers. A configuration that no longer loads is reported and changes
 * nothing: the running workers keep serving.
 */
import { loadConfig } from '../config/load.js';
import { setTitle, masterTitle } from '../ipc/titles.js';
import { createErrorLog } from '../logging/logger.js';
import type { TgunConfig } from '../settings/registry.js';
import type { Arbiter } from './arbiter.js';
import { Pidfile } from './pidfile.js';
import { rebind } from './rebind.js';
import { type ReloadStrategy, replaceWorkers } from './replace.js';

/** What started the reload: a HUP, or `--reload` seeing a file change. */
export type ReloadTrigger = 'hup' | 'watch';

function reopenLog(arb: Arbiter, next: TgunConfig): void {
  const prev = arb.config;
  if (next.errorLog === prev.errorLog && next.logLevel === prev.logLevel) {
    arb.log.reopen();
    return;
  }
  try {
    const log = createErrorLog({ target: next.errorLog, level: next.logLevel, cwd: next.chdir });
    arb.log.close();
    arb.log = log;
  } catch (err) {
    arb.log.exception(`Could not open the error log ${next.errorLog}; keeping the current one`, err);
  }
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
  reopenLog(arb, next);
  await rebind(arb, next);
  movePidfile(arb, next);
  arb.applyRawEnv(next.rawEnv);
  arb.config = next;
  arb.origins = loaded.origins;
  arb.configFile = loaded.configFile;
  arb.configSource = loaded.configSource;
  arb.appUri = loaded.appUri ?? arb.appUri;
  if (arb.numWorkers !== next.workers || trigger === 'hup') arb.setNumWorkers(next.workers);
  await arb.callHook('onReload', () => next.onReload(arb.server));
  setTitle(masterTitle(arb.procName, arb.masterPid !== 0));
  arb.bootBroken = false;
  await replaceWorkers(arb, strategy);
}
