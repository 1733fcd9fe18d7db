/**
 * THE list of settings, in reference order: every section's declarations, in the order of `SECTIONS`. The
 * command-line parser, `--help`, config validation, the {@link TgunConfig} type and
 * `docs/reference/settings.md` are all derived from it.
 */
import { CONFIG_FILE_SETTINGS } from './config-file.js';
import { CONTROL_SETTINGS } from './control.js';
import { DEBUGGING_SETTINGS } from './debugging.js';
import { HOOK_BOOT_SETTINGS } from './hooks.js';
import { HOOK_RUNNING_SETTINGS } from './hooks-running.js';
import { HTTP2_SETTINGS } from './http2.js';
import { LOGGING_SETTINGS } from './logging.js';
import { LOGGING_SYSLOG_SETTINGS } from './logging-syslog.js';
import { METRICS_SETTINGS } from './metrics.js';
import { PROCESS_NAMING_SETTINGS } from './process-naming.js';
import { PROXY_TRUST_SETTINGS } from './proxy-trust.js';
import { SECURITY_SETTINGS } from './security.js';
import { SERVER_MECHANICS_SETTINGS } from './server-mechanics.js';
import { SERVER_SOCKET_SETTINGS } from './server-socket.js';
import { SSL_SETTINGS } from './ssl.js';
import type { SettingSpec, SettingValue } from './types.js';
import { WORKER_PROCESSES_SETTINGS } from './worker-processes.js';
import { WORKER_TIMEOUT_SETTINGS } from './worker-timeouts.js';

/** Every tgun setting, grouped by section in `SECTIONS` order, each section in reference order. */
export const SETTINGS = [
  ...CONFIG_FILE_SETTINGS,
  ...SERVER_SOCKET_SETTINGS,
  ...WORKER_PROCESSES_SETTINGS,
  ...WORKER_TIMEOUT_SETTINGS,
  ...SECURITY_SETTINGS,
  ...DEBUGGING_SETTINGS,
  ...SERVER_MECHANICS_SETTINGS,
  ...PROXY_TRUST_SETTINGS,
  ...LOGGING_SETTINGS,
  ...LOGGING_SYSLOG_SETTINGS,
  ...PROCESS_NAMING_SETTINGS,
  ...SSL_SETTINGS,
  ...HTTP2_SETTINGS,
  ...METRICS_SETTINGS,
  ...CONTROL_SETTINGS,
  ...HOOK_BOOT_SETTINGS,
  ...HOOK_RUNNING_SETTINGS,
] as const;

/** The name of any setting: `'workers' | 'bind' | …`. */
export type SettingName = (typeof SETTINGS)[number]['name'];

/** The effective configuration: every setting by name, with its validated value type. */
export type TgunConfig = { readonly [S in (typeof SETTINGS)[number] as S['name']]: SettingValue<S> };

/** Settings by camelCase name, for the config engine's look-ups. */
export const settingByName: ReadonlyMap<string, SettingSpec> = new Map(
  (SETTINGS as readonly SettingSpec[]).map((s) => [s.name, s]),
);
