/**
 * `@tgun/core`'s public surface: the config helper and types, the adapter contract, hook views and errors.
 * The `tgun` command lives in the `bin` entry; nothing here starts processes.
 */
export { defineConfig, type SettingInput, type UserConfig } from './config/define.js';
export type { ConfigInputs, ConfigResult, FailedConfig, LoadedConfig } from './config/load.js';
export type { LayerName, Origin, Problem } from './config/problems.js';
export type { TgunConfig, SettingName } from './settings/registry.js';
export type {
  Adapter,
  AdapterContext,
  FrameworkSettings,
  ListenerApp,
  ServedApp,
  ServerApp,
} from './adapter.js';
export type { HookSignatures, ServerView, SslContextFactory, WorkerView } from './hooks/types.js';
export type { Logger, LogLevel } from './logging/types.js';
export { ERROR_CODES, EXIT, type ErrorCode, TgunError } from './errors.js';
export { trustToAllowIps } from './http/proxy-addr-trust.js';
export { VERSION } from './version.js';
