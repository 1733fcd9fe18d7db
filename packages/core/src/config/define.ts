import type { TgunConfig } from '../settings/registry.js';

/** What a config file may give for a setting: lists may also be written as one comma-separated string. */
export type SettingInput<T> = T extends readonly (infer E)[] ? readonly E[] | string : T;

/**
 * The settings a config file may export: every setting optional, typed from the registry. Hooks get their
 * parameter types from context, so `onStarting(server) { … }` needs no annotations.
 */
export type UserConfig = { readonly [K in keyof TgunConfig]?: SettingInput<TgunConfig[K]> };

/**
 * Types a config file's default export. It returns its argument unchanged: validation happens when tgun loads
 * the file, with every problem reported together.
 *
 * @example
 * ```ts
 * // tgun.config.ts
 * import { defineConfig } from '@tgun/core';
 * export default defineConfig({ bind: '127.0.0.1:8000', workers: 4, timeout: 30 });
 * ```
 */
export function defineConfig(config: UserConfig): UserConfig {
  return config;
}
