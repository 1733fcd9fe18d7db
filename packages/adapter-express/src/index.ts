/**
 * `@tgun/adapter-express`: serves Express 4 and 5 apps with tgun, unchanged. tgun finds this package next to
 * the app and uses it for any export that is an Express app (or with `--adapter express`).
 */
export { adapter, adapter as default, type ExpressApp, isExpressApp } from './adapter.js';
export { expressSettings } from './settings.js';
