/**
 * Builds a process's logs from its configuration: the error log's level, format and destinations, the access
 * log's destinations (carried on the error log, so the access log and the error log read one resolution), and
 * the one syslog connection both share. The arbiter and every worker call {@link openLogs} the same way.
 *
 * Precedence: what `logConfigJson` says about a logger wins; what it leaves out comes from the settings —
 * `errorLog` and `logLevel`, `accessLog`, and `syslog` (which adds syslog to the error log, and to the access log
 * unless `disableRedirectAccessToSyslog`), as gunicorn does.
 */
import type { TgunConfig } from '../settings/registry.js';
import { readLogConfig } from './log-config.js';
import { type AccessPlan, createErrorLog, type ErrorLog } from './logger.js';
import { createSyslog, type Syslog } from './syslog.js';

/** The settings {@link openLogs} reads. */
export type LogSettings = Pick<
  TgunConfig,
  | 'errorLog'
  | 'logLevel'
  | 'accessLog'
  | 'logConfigJson'
  | 'chdir'
  | 'syslog'
  | 'syslogAddr'
  | 'syslogPrefix'
  | 'syslogFacility'
  | 'disableRedirectAccessToSyslog'
  | 'procName'
>;

/**
 * Opens the error log (and syslog) for `config`. `appName` is the default syslog prefix when neither
 * `syslogPrefix` nor `procName` is set. Throws with a message naming the file or address that failed.
 */
export function openLogs(config: LogSettings, appName: string): ErrorLog {
  const file = config.logConfigJson === null ? null : readLogConfig(config.logConfigJson);
  const viaSyslog = config.syslog ? ['syslog'] : [];
  const errorTo = file?.error.to ?? [config.errorLog, ...viaSyslog];
  const accessTo = file?.access.to ?? [
    ...(config.accessLog ? [config.accessLog] : []),
    ...(config.disableRedirectAccessToSyslog ? [] : viaSyslog),
  ];
  const access: AccessPlan = { to: accessTo, format: file?.access.format ?? 'text' };
  let log: ErrorLog | undefined;
  const syslog: Syslog | null =
    errorTo.includes('syslog') || accessTo.includes('syslog')
      ? createSyslog({
          address: config.syslogAddr,
          facility: config.syslogFacility,
          prefix: config.syslogPrefix ?? config.procName ?? appName,
          // Reported once, to the files only: a syslog failure sent to syslog would go nowhere.
          onError: (e) => log?.captured(`syslog ${config.syslogAddr}: ${e.message}`, process.pid, 'stderr'),
        })
      : null;
  log = createErrorLog({
    target: config.errorLog,
    to: errorTo,
    level: file?.error.level ?? config.logLevel,
    format: file?.error.format ?? 'text',
    cwd: config.chdir,
    syslog,
    syslogErrors: errorTo.includes('syslog'),
    access,
  });
  return log;
}

/**
 * Counts the log's warning, error, critical and exception lines as StatsD `log.<level>` counters, like
 * gunicorn's Statsd logger, when `statsdHost` is set. Lines logged before the host resolves are not counted.
 * Returns a closer for the client.
 */
export async function countLogLevels(
  log: ErrorLog,
  config: Pick<TgunConfig, 'statsdHost' | 'statsdPrefix' | 'dogstatsdTags'>,
): Promise<() => void> {
  if (!config.statsdHost) return () => {};
  const { createStatsd } = await import('../metrics/statsd.js');
  const statsd = await createStatsd({
    host: config.statsdHost,
    prefix: config.statsdPrefix,
    tags: config.dogstatsdTags,
  });
  log.countWith((level) => statsd.log(level));
  return () => statsd.close();
}
