/**
 * `@tgun/adapter-koa`: serves Koa 2 and 3 applications with tgun, unchanged. tgun finds this package next to
 * the app and uses it for any export that is a Koa application (or with `--adapter koa`).
 */
export { adapter, adapter as default, isKoaApp, type KoaApp } from './adapter.js';
export { type KoaSettingsSource, koaSettings } from './settings.js';
