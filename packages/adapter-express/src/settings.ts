/**
 * The framework-settings layer for Express: what the app already declares, as tgun settings. Only `trust proxy`
 * has a tgun counterpart (`forwardedAllowIps`); it is reported, never written back into the app.
 */
import { type FrameworkSettings, trustToAllowIps } from '@tgun/core';

/** The settings of an Express app (`app.settings`), as tgun's framework layer. */
export function expressSettings(settings: Readonly<Record<string, unknown>>): FrameworkSettings {
  const allow = trustToAllowIps(settings['trust proxy']);
  return allow ? { forwardedAllowIps: allow } : {};
}
