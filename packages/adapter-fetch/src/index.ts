/**
 * `@tgun/adapter-fetch`: serves web-standard `fetch(Request) => Response` apps (Hono, itty-router,
 * `export default { fetch }`) with tgun. tgun finds this package next to the app and uses it for any export
 * that is an object with a `fetch()` method (or with `--adapter fetch`).
 */
export { adapter, adapter as default, type FetchApp, type FetchEnv, isFetchApp } from './adapter.js';
