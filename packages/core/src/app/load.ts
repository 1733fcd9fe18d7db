/**
 * Loading the app named by `MODULE[:VARIABLE]`. MODULE is a file relative to the working directory (`app.mjs`,
 * `./src/server.ts`, `app` for `app.js`…) or a package name; VARIABLE is an export (dotted paths allowed, a
 * trailing `()` calls it). Without VARIABLE the default export is used, else the export named `app`. A
 * promise is awaited and a zero-argument factory is called, then the adapter for the app's shape (or the one
 * `--adapter` names) turns it into a {@link ServedApp}. In a worker, an app that calls `listen()` itself while it
 * is imported is served on tgun's socket instead. Every failure is a TGUN_ERR_APP_LOAD error with a message
 * that says what to fix.
 */
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServedApp } from '../adapter.js';
import { TgunError } from '../errors.js';
import type { Logger } from '../logging/types.js';
import { describeLoad, importTypeScript, isTypeScriptFile } from '../modules/typescript.js';
import { missingExportMessage, resolveAdapter } from './adapters.js';
import { describeValue, isFactory } from './detect.js';
import { installSelfListen, type SelfListen, selfListenedApp } from './self-listen.js';

const EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];

/** `MODULE[:VARIABLE]` split into its parts. */
export interface AppUri {
  readonly module: string;
  readonly variable: string | null;
  /** The URI ended in `()`: call the export. */
  readonly call: boolean;
}

/** Splits an app URI; the colon is only a separator when what follows is an identifier path. */
export function parseAppUri(uri: string): AppUri {
  const m = /^(.*):([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(\(\))?$/.exec(uri);
  if (m?.[1]) return { module: m[1], variable: m[2] ?? null, call: Boolean(m[3]) };
  return { module: uri, variable: null, call: false };
}

function fail(message: string, cause?: unknown): never {
  throw new TgunError('TGUN_ERR_APP_LOAD', message, cause === undefined ? undefined : { cause });
}

const isFile = (p: string) => existsSync(p) && statSync(p).isFile();

/** The absolute file for MODULE: a path, the same with a source extension or `/index.*`, or a package. */
export function resolveModule(spec: string, cwd: string): string {
  const base = resolve(cwd, spec);
  const candidates = [base, ...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => join(base, `index${e}`))];
  const found = candidates.find(isFile);
  if (found) return found;
  const pathLike = spec.startsWith('.') || spec.startsWith('/') || EXTENSIONS.includes(extname(spec));
  if (!pathLike) {
    try {
      // jiti adds ~13 MB to a process (the arbiter resolves the app's file too): required only for packages.
      const { createJiti } = createRequire(import.meta.url)('jiti') as typeof import('jiti');
      const url = createJiti(pathToFileURL(join(cwd, 'index.js')).href).esmResolve(spec);
      return url.startsWith('file:') ? new URL(url).pathname : url;
    } catch {
      // Reported below with the directory that was searched.
    }
  }
  return fail(`Failed to find application module '${spec}' (looked in ${cwd}${pathLike ? '' : ' and its packages'}).`);
}

/** Imports the app's module; TypeScript goes through the loader `modules/typescript.ts` picks for this line. */
async function importModule(file: string, log: Pick<Logger, 'debug'> | undefined): Promise<Record<string, unknown>> {
  if (isTypeScriptFile(file)) {
    const loaded = await importTypeScript(file);
    log?.debug(describeLoad(file, loaded));
    return loaded.ns;
  }
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

/** The export `uri` names, or undefined when the module has none by that name. */
function pick(ns: Record<string, unknown>, uri: AppUri): unknown {
  const def = ns.default as Record<string, unknown> | undefined;
  if (uri.variable === null) return ns.default ?? ns.app;
  const [head, ...rest] = uri.variable.split('.');
  let value: unknown = ns[head as string] ?? (def && typeof def === 'object' ? def[head as string] : undefined);
  for (const key of rest) value = value == null ? undefined : (value as Record<string, unknown>)[key];
  return value;
}

function missingExport(ns: Record<string, unknown>, uri: AppUri): never {
  if (uri.variable !== null) fail(missingExportMessage(uri.module, uri.variable, ns));
  return fail(`'${uri.module}' has no default export and no export named 'app'; name one: ${uri.module}:VARIABLE`);
}

/**
 * Awaits a promise and calls a factory (or the export `()` names), so the adapter sees the app itself. The app
 * comes back boxed: returning it from an async function would resolve it, and a Fastify instance or an
 * itty-router (whose proxy answers `then` too) is a thenable that must reach the adapter as it is.
 */
async function settle(picked: unknown, uri: AppUri, appUri: string): Promise<{ value: unknown }> {
  let value = picked;
  try {
    if (uri.call) {
      if (typeof value !== 'function') fail(`'${appUri}' asks to call ${describeValue(value)}.`);
      value = await (value as () => unknown)();
    }
    if (value instanceof Promise) value = await value;
    if (!uri.call && isFactory(value)) value = await value();
  } catch (err) {
    if (err instanceof TgunError) throw err;
    return fail(`The application factory '${appUri}' failed: ${(err as Error)?.message ?? String(err)}`, err);
  }
  return { value };
}

/** What {@link loadApp} is told. */
export interface LoadAppOptions {
  /** The directory MODULE is resolved against. */
  readonly cwd: string;
  /** The `adapter` setting; `auto` when omitted. */
  readonly adapter?: string;
  /**
   * In a worker, the inherited socket: while the module is imported (and a factory runs), the app's own first
   * HTTP `listen()` is redirected there. The redirection ends before `loadApp` returns.
   */
  readonly selfListenFd?: number;
  /** Told at debug level which loader imported a TypeScript app (Node's type stripping or jiti, and why). */
  readonly log?: Pick<Logger, 'debug'>;
}

/** A loaded app and the adapter that serves it (its name labels the framework settings layer). */
export interface LoadedApp {
  readonly app: ServedApp;
  readonly adapterName: string;
  /** The app called `listen()` itself and its server took `selfListenFd`. */
  readonly selfListened: boolean;
}

/** Name of the layer for an app that only listened and exported nothing an adapter recognises. */
const SELF_LISTENED = 'node';

async function adapt(value: unknown, file: string, appUri: string, adapter: string): Promise<LoadedApp> {
  const appDir = dirname(file);
  const chosen = await resolveAdapter(value, { adapter, appDir, appUri });
  try {
    return { app: await chosen.load(value, { appUri, appDir }), adapterName: chosen.name, selfListened: false };
  } catch (err) {
    if (err instanceof TgunError) throw err;
    return fail(
      `The ${chosen.name} adapter could not load '${appUri}': ${(err as Error)?.message ?? String(err)}`,
      err,
    );
  }
}

async function loadWith(appUri: string, opts: LoadAppOptions, sl: SelfListen | null): Promise<LoadedApp> {
  const uri = parseAppUri(appUri);
  const file = resolveModule(uri.module, opts.cwd);
  let ns: Record<string, unknown>;
  try {
    ns = await importModule(file, opts.log);
  } catch (err) {
    return fail(`Failed to import application module '${uri.module}': ${(err as Error)?.message ?? String(err)}`, err);
  }
  const picked = pick(ns, uri);
  if (picked === undefined) {
    if (sl?.server) return { app: selfListenedApp(sl.server), adapterName: SELF_LISTENED, selfListened: true };
    return missingExport(ns, uri);
  }
  const { value } = await settle(picked, uri, appUri);
  let loaded: LoadedApp | null = null;
  try {
    loaded = await adapt(value, file, appUri, opts.adapter ?? 'auto');
  } catch (err) {
    // The app already serves on tgun's socket; what it also exports need not be servable.
    if (!sl?.server) throw err;
  }
  if (!sl?.server) return loaded as LoadedApp;
  const adapterName = loaded?.adapterName ?? SELF_LISTENED;
  return { app: selfListenedApp(sl.server, loaded?.app), adapterName, selfListened: true };
}

/** Imports the app and resolves its adapter; throws TGUN_ERR_APP_LOAD with a clear message when anything is off. */
export async function loadApp(appUri: string, opts: LoadAppOptions): Promise<LoadedApp> {
  const sl = opts.selfListenFd === undefined ? null : installSelfListen({ fd: opts.selfListenFd });
  try {
    return await loadWith(appUri, opts, sl);
  } finally {
    sl?.dispose();
  }
}
