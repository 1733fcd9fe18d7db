/**
 * Loading the app named by `MODULE[:VARIABLE]`. MODULE is a file relative to the working directory (`app.mjs`,
 * `./src/server.ts`, `app` for `app.js`…) or a package name; VARIABLE is an export (dotted paths allowed, a
 * trailing `()` calls it). Without VARIABLE the default export is used, else the export named `app`. A
 * promise is awaited and a zero-argument factory is called. Every failure is a TGUN_ERR_APP_LOAD error with
 * a message that says what to fix.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createJiti } from 'jiti';
import type { ServedApp } from '../adapter.js';
import { TgunError } from '../errors.js';
import { describeValue, detectServedApp, isFactory } from './detect.js';

const EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];
const TS = new Set(['.ts', '.mts', '.cts', '.tsx']);

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
      const url = createJiti(pathToFileURL(join(cwd, 'index.js')).href).esmResolve(spec);
      return url.startsWith('file:') ? new URL(url).pathname : url;
    } catch {
      // Reported below with the directory that was searched.
    }
  }
  return fail(`Failed to find application module '${spec}' (looked in ${cwd}${pathLike ? '' : ' and its packages'}).`);
}

async function importModule(file: string): Promise<Record<string, unknown>> {
  if (TS.has(extname(file))) {
    const jiti = createJiti(pathToFileURL(file).href, { interopDefault: false });
    return (await jiti.import(file)) as Record<string, unknown>;
  }
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

function pick(ns: Record<string, unknown>, uri: AppUri): unknown {
  const def = ns.default as Record<string, unknown> | undefined;
  if (uri.variable === null) {
    if (ns.default !== undefined) return ns.default;
    if (ns.app !== undefined) return ns.app;
    return fail(`'${uri.module}' has no default export and no export named 'app'; name one: ${uri.module}:VARIABLE`);
  }
  const [head, ...rest] = uri.variable.split('.');
  let value: unknown = ns[head as string] ?? (def && typeof def === 'object' ? def[head as string] : undefined);
  for (const key of rest) value = value == null ? undefined : (value as Record<string, unknown>)[key];
  if (value === undefined) fail(`Failed to find attribute '${uri.variable}' in '${uri.module}'.`);
  return value;
}

/** Imports and classifies the app; throws TGUN_ERR_APP_LOAD with a clear message when anything is missing. */
export async function loadApp(appUri: string, opts: { cwd: string }): Promise<ServedApp> {
  const uri = parseAppUri(appUri);
  const file = resolveModule(uri.module, opts.cwd);
  let ns: Record<string, unknown>;
  try {
    ns = await importModule(file);
  } catch (err) {
    return fail(`Failed to import application module '${uri.module}': ${(err as Error)?.message ?? String(err)}`, err);
  }
  let value = pick(ns, uri);
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
  const served = detectServedApp(value);
  if (!served) {
    fail(
      `'${appUri}' is ${describeValue(value)}, which tgun cannot serve: export a (req, res) function, an ` +
        'http.Server, or use a framework adapter.',
    );
  }
  return served;
}
