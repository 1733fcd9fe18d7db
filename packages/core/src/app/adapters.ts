/**
 * Choosing the adapter that serves an app. `--adapter NAME` names one (`express`, `koa`, `fastify`, `node`,
 * `fetch` mean `@tgun/adapter-NAME`; anything else is a package exporting an {@link Adapter}); `auto` asks the
 * installed adapter packages in a fixed order, most specific shape first, then falls back to core's built-in
 * handling of `(req, res)` functions and `http.Server`s. Adapter packages are looked up from the app's own
 * directory (where users install them), then from core's own location (a flat `node_modules`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Server as NetServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Adapter } from '../adapter.js';
import { TgunError } from '../errors.js';
import { detectServedApp } from './detect.js';

const has = (value: object, key: string, type: string): boolean =>
  typeof (value as Record<string, unknown>)[key] === type;

/** A framework recognised only to say what to install or how to export it; never used to serve. */
interface Guess {
  readonly label: string;
  readonly adapter: string;
  /** Set when tgun has no adapter for it: what to do instead. */
  readonly unsupported?: string;
}

/**
 * Names the framework `value` probably comes from, for error messages. Each test pairs methods with a member
 * a catch-all proxy cannot fake (itty-router's router answers every property with a function), and a function
 * app's `router` is never read (Express 4 throws on it).
 */
export function guessFramework(value: unknown): Guess | null {
  if (typeof value === 'function') {
    if (has(value, 'handle', 'function') && has(value, 'set', 'function') && has(value, 'settings', 'object')) {
      return { label: 'an Express app', adapter: 'express' };
    }
    return { label: 'a Node (req, res) listener', adapter: 'node' };
  }
  if (value === null || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  if (v.server instanceof NetServer && has(v, 'routing', 'function') && has(v, 'addHook', 'function')) {
    return { label: 'a Fastify app', adapter: 'fastify' };
  }
  if (has(v, 'callback', 'function') && Array.isArray(v.middleware)) return { label: 'a Koa app', adapter: 'koa' };
  if (value instanceof NetServer) return { label: 'a Node server', adapter: 'node' };
  if (has(v, 'fetch', 'function')) return { label: 'a fetch app', adapter: 'fetch' };
  if (has(v, 'getHttpServer', 'function') && has(v, 'getHttpAdapter', 'function') && has(v, 'init', 'function')) {
    const unsupported =
      'It looks like a NestJS app, which has no tgun adapter yet: export a factory that runs `await app.init()` and ' +
      'returns `app.getHttpServer()`, or keep `await app.listen(port)` in the module (tgun redirects it to its socket).';
    return { label: 'a NestJS app', adapter: 'node', unsupported };
  }
  if (v.server instanceof NetServer) {
    const unsupported =
      'It has its own server in `.server` (Restify and similar): export that server instead (app.server).';
    return { label: 'a server-owning app', adapter: 'node', unsupported };
  }
  return null;
}

function keysOf(value: object, max: number): string {
  const keys = Object.keys(value);
  if (keys.length === 0) return '';
  const shown = keys.slice(0, max).join(', ');
  return keys.length > max ? `${shown}, … (${keys.length} in all)` : shown;
}

/** The type and shape of `value` in words, for messages: never awaits, calls or deeply reads it. */
export function describeShape(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value === 'function') {
    const members = keysOf(value, 8);
    const name = value.name || 'anonymous';
    return members
      ? `a function (${name}) with members ${members}`
      : `a function (${name}) of ${value.length} parameters`;
  }
  if (typeof value !== 'object')
    return `${typeof value} ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`;
  const ctor = Object.getPrototypeOf(value) === null ? 'no prototype' : (value.constructor?.name ?? 'Object');
  const thenable = has(value, 'then', 'function') ? ', a thenable,' : '';
  const keys = keysOf(value, 8);
  return `an object (${ctor})${thenable}${keys ? ` with keys ${keys}` : ' with no own keys'}`;
}

/** The message for `MODULE:VARIABLE` naming an export the module does not have: lists what it does export. */
export function missingExportMessage(module: string, variable: string, ns: Readonly<Record<string, unknown>>): string {
  const names = Object.keys(ns).filter((k) => k !== 'default' && k !== 'module.exports');
  const def = ns.default;
  // A CommonJS `module.exports = { app }` surfaces its members under default, where pick() also looks.
  if (def !== null && typeof def === 'object') names.push(...Object.keys(def).map((k) => `default.${k}`));
  else if (def !== undefined) names.push('default');
  const listed = names.length > 0 ? names.slice(0, 20).join(', ') + (names.length > 20 ? ', …' : '') : 'nothing';
  return `Failed to find attribute '${variable}' in '${module}'; it exports: ${listed}.`;
}

/** The adapters tgun publishes, by their `--adapter` name. */
export const BUILTIN_ADAPTERS = ['express', 'koa', 'fastify', 'node', 'fetch'] as const;

/**
 * Detection order (node.md §4.2): server-owning and object apps before functions, Express before the generic
 * function case, fetch objects last (a function that also has `.fetch` is a Node listener).
 */
const DETECTION_ORDER = ['fastify', 'koa', 'express', 'node', 'fetch'] as const;

/** The package behind an `--adapter` value. */
export function adapterPackage(name: string): string {
  return (BUILTIN_ADAPTERS as readonly string[]).includes(name) ? `@tgun/adapter-${name}` : name;
}

/** Core's own handling, used when no adapter package claims the app: plain functions and servers. */
export const BUILTIN_NODE: Adapter = {
  name: 'node',
  detect: (app) => detectServedApp(app) !== null,
  load(app) {
    const served = detectServedApp(app);
    if (!served) throw new TypeError('not a (req, res) function or an http.Server');
    return served;
  },
};

function isAdapter(value: unknown): value is Adapter {
  if (value === null || typeof value !== 'object') return false;
  const a = value as Partial<Adapter>;
  return typeof a.name === 'string' && typeof a.detect === 'function' && typeof a.load === 'function';
}

/** What looking for an adapter package found: the adapter, nothing, or a package that is not usable (and why). */
export type AdapterLookup = { found: Adapter } | { missing: true } | { broken: string };

const cache = new Map<string, Promise<AdapterLookup>>();

function readName(packageJson: string): string | null {
  try {
    const name = (JSON.parse(readFileSync(packageJson, 'utf8')) as { name?: unknown }).name;
    return typeof name === 'string' ? name : null;
  } catch {
    return null;
  }
}

/**
 * The entry file of `pkg` as an `import` from `fromDir` finds it: in a `node_modules` of `fromDir` or an
 * ancestor, or the enclosing package itself (self-reference). NODE_PATH is ignored, as ESM ignores it (pnpm's
 * bin shims set it to the hoisted store, which would make packages the app never installed look installed).
 */
function locate(pkg: string, fromDir: string): string | null {
  for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
    const installed = existsSync(join(dir, 'node_modules', pkg, 'package.json'));
    if (installed || readName(join(dir, 'package.json')) === pkg) {
      try {
        return createRequire(join(dir, 'noop.js')).resolve(pkg);
      } catch {
        return null;
      }
    }
    if (dirname(dir) === dir) return null;
  }
}

function resolveFrom(pkg: string, appDir: string): string | null {
  return locate(pkg, appDir) ?? locate(pkg, dirname(fileURLToPath(import.meta.url)));
}

async function importAdapter(pkg: string, appDir: string): Promise<AdapterLookup> {
  const file = resolveFrom(pkg, appDir);
  if (!file) return { missing: true };
  let ns: Record<string, unknown>;
  try {
    ns = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (err) {
    return { broken: `${pkg} failed to load: ${(err as Error)?.message ?? String(err)}` };
  }
  const def = ns.default as Record<string, unknown> | undefined;
  const candidate = [ns.adapter, ns.default, def?.adapter].find(isAdapter);
  if (candidate) return { found: candidate };
  const names = Object.keys(ns).join(', ') || 'nothing';
  return { broken: `${pkg} does not export a tgun Adapter ({ name, detect, load }); it exports ${names}` };
}

/** Loads an adapter package installed for the app in `appDir`; cached per package and directory. */
export function findAdapter(pkg: string, appDir: string): Promise<AdapterLookup> {
  const key = `${pkg}\0${appDir}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = importAdapter(pkg, appDir);
    cache.set(key, hit);
  }
  return hit;
}

/** What {@link resolveAdapter} is told. */
export interface ResolveAdapterOptions {
  /** The `adapter` setting: `auto`, a built-in adapter name or a package name. */
  readonly adapter: string;
  /** The directory of the app module: adapters are resolved from there. */
  readonly appDir: string;
  /** `MODULE:VARIABLE`, for messages. */
  readonly appUri?: string;
}

function fail(message: string): never {
  throw new TgunError('TGUN_ERR_APP_LOAD', message);
}

async function explicitAdapter(app: unknown, opts: ResolveAdapterOptions, what: string): Promise<Adapter> {
  const pkg = adapterPackage(opts.adapter);
  const lookup = await findAdapter(pkg, opts.appDir);
  if ('broken' in lookup) fail(`--adapter ${opts.adapter}: ${lookup.broken}.`);
  if ('missing' in lookup) {
    // Without the package, `node` still has core's own handling of functions and servers.
    if (opts.adapter === 'node' && BUILTIN_NODE.detect(app)) return BUILTIN_NODE;
    fail(`--adapter ${opts.adapter} needs the package ${pkg}, which is not installed for ${opts.appDir}: npm i ${pkg}`);
  }
  if (!lookup.found.detect(app)) {
    const guess = guessFramework(app);
    const hint = guess
      ? ` It looks like ${guess.label}: use --adapter ${guess.adapter}, or leave --adapter at auto.`
      : '';
    fail(`--adapter ${opts.adapter}: ${what} is ${describeShape(app)}, which ${pkg} does not serve.${hint}`);
  }
  return lookup.found;
}

/**
 * The adapter that serves `app` (the export, after awaiting it and calling a factory). Never awaits or mutates
 * `app`: a Fastify instance is a thenable and must be classified as it is. Throws TGUN_ERR_APP_LOAD with the
 * app's shape, the adapters tried and the package to install when nothing fits.
 */
export async function resolveAdapter(app: unknown, opts: ResolveAdapterOptions): Promise<Adapter> {
  const what = opts.appUri ? `'${opts.appUri}'` : 'the application';
  if (opts.adapter !== 'auto') return explicitAdapter(app, opts, what);
  const tried: string[] = [];
  for (const name of DETECTION_ORDER) {
    const pkg = adapterPackage(name);
    const lookup = await findAdapter(pkg, opts.appDir);
    if ('found' in lookup) {
      if (lookup.found.detect(app)) return lookup.found;
      tried.push(pkg);
    } else {
      tried.push('missing' in lookup ? `${pkg} (not installed)` : lookup.broken);
    }
  }
  if (BUILTIN_NODE.detect(app)) return BUILTIN_NODE;
  tried.push("tgun's built-in (req, res) and http.Server handling");
  const guess = guessFramework(app);
  const lines = [`${what} is ${describeShape(app)}, and no adapter can serve it.`];
  lines.push(`Tried: ${tried.join(', ')}.`);
  if (guess?.unsupported) lines.push(guess.unsupported);
  else if (guess)
    lines.push(
      `It looks like ${guess.label}; install its adapter next to the app: npm i ${adapterPackage(guess.adapter)}`,
    );
  else {
    lines.push(
      'tgun serves Express, Koa and Fastify apps, fetch apps (an object with fetch(request), as Hono exports), ' +
        'http.Server instances and (req, res) functions; another framework needs an adapter package (--adapter PACKAGE).',
    );
  }
  return fail(lines.join('\n'));
}
