/**
 * The framework-settings layer for Koa: `app.proxy` (trust `X-Forwarded-*`) maps to tgun's
 * `forwardedAllowIps`. Koa trusts the headers from any peer when it is on, so the equivalent is `*`.
 */
import type { FrameworkSettings } from '@tgun/core';

/** The Koa application properties the settings layer reads. */
export interface KoaSettingsSource {
  readonly proxy?: unknown;
}

/** The settings of a Koa app, as tgun's framework layer. */
export function koaSettings(app: KoaSettingsSource): FrameworkSettings {
  return app.proxy === true ? { forwardedAllowIps: ['*'] } : {};
}
