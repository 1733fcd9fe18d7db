/**
 * The one place that decides how a TypeScript file is loaded, for config files and app modules alike. Where
 * Node strips types itself (`process.features.typescript`: 22.18+, 23.6+, 24, 26), Node loads the file; jiti is
 * the fallback for Node 20 and for what stripping refuses: enums, namespaces and parameter properties
 * (`--experimental-transform-types` only), `.tsx`, files under node_modules, `./x.js` imports that mean
 * `./x.ts`, and type-only imports written without `type`. A fallback is a debug line, never a warning: tgun
 * starts silently on every line.
 */
import { basename, extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { jitiEvaluate, jitiImport } from './jiti.js';
import { canEvaluateText, evaluateTypeScriptText, NotAnEsModule } from './source-hook.js';

/** Which loader evaluated a module. */
export type TypeScriptLoader = 'node' | 'jiti';

/** A loaded module's namespace, the loader that produced it, and why jiti was used on a line with stripping. */
export interface LoadedModule {
  readonly ns: Record<string, unknown>;
  readonly loader: TypeScriptLoader;
  /** Set when jiti was used: Node's reason (or the line's lack of stripping). */
  readonly fallback: string | null;
}

/** Extensions Node's type stripping loads; `.tsx` is not among them. */
const STRIPPABLE = new Set(['.ts', '.mts', '.cts']);
const TYPESCRIPT = new Set([...STRIPPABLE, '.tsx']);

/** Node's errors that mean "stripping cannot load this", as opposed to the module itself failing. */
const REFUSALS = new Set([
  'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX',
  'ERR_INVALID_TYPESCRIPT_SYNTAX',
  'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING',
  'ERR_UNKNOWN_FILE_EXTENSION',
  'ERR_MODULE_NOT_FOUND',
]);

/** `'strip'` or `'transform'` where Node loads TypeScript itself, else false (Node 20; 22 before 22.18). */
export function nodeTypeStripping(): 'strip' | 'transform' | false {
  const mode = (process.features as { typescript?: unknown }).typescript;
  return mode === 'strip' || mode === 'transform' ? mode : false;
}

/** Whether `file` is TypeScript (by extension). */
export function isTypeScriptFile(file: string): boolean {
  return TYPESCRIPT.has(extname(file));
}

function noStripping(file: string): string | null {
  if (!nodeTypeStripping()) return `Node ${process.versions.node} has no type stripping`;
  if (!STRIPPABLE.has(extname(file))) return `Node's type stripping does not load ${extname(file)} files`;
  return null;
}

/** Node's reason when its loader refused the file (so jiti should try), else null (a real failure). */
function refusal(err: unknown): string | null {
  if (err instanceof NotAnEsModule) return err.message;
  if (!(err instanceof Error)) return null;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && REFUSALS.has(code)) return `${code}: ${err.message.split('\n')[0]}`;
  // A type imported without `type` is missing at link time, before any of the module's code ran.
  if (err instanceof SyntaxError && /does not provide an export named/.test(err.message)) return err.message;
  return null;
}

/**
 * Imports an app's TypeScript module (cached like any import: a worker loads its app once). Node loads it
 * when it can; a refusal from Node's loader comes before any module code runs, so jiti then loads it afresh.
 */
export async function importTypeScript(file: string): Promise<LoadedModule> {
  let fallback = noStripping(file);
  if (fallback === null) {
    try {
      return { ns: (await import(pathToFileURL(file).href)) as Record<string, unknown>, loader: 'node', fallback };
    } catch (err) {
      fallback = refusal(err);
      if (fallback === null) throw err;
    }
  }
  return { ns: await jitiImport(file), loader: 'jiti', fallback };
}

/**
 * Evaluates `text` as the TypeScript (or JavaScript) module at `path`, bypassing every module cache, so a HUP
 * re-reads a config file and a worker can evaluate the arbiter's snapshot. JavaScript goes through jiti.
 */
export async function evaluateModuleText(path: string, text: string): Promise<LoadedModule> {
  let fallback = isTypeScriptFile(path) ? noStripping(path) : 'not TypeScript';
  if (fallback === null && !canEvaluateText) fallback = `Node ${process.versions.node} has no module.registerHooks`;
  if (fallback === null) {
    try {
      return { ns: await evaluateTypeScriptText(path, text), loader: 'node', fallback };
    } catch (err) {
      fallback = refusal(err);
      if (fallback === null) throw err;
    }
  }
  return { ns: await jitiEvaluate(path, text), loader: 'jiti', fallback };
}

/** The debug line that says how a TypeScript file was loaded, e.g. `Loaded app.ts with node's type stripping`. */
export function describeLoad(file: string, loaded: LoadedModule): string {
  const name = basename(file);
  if (loaded.loader === 'node') return `Loaded ${name} with node's type stripping`;
  return `Loaded ${name} with jiti (${loaded.fallback ?? 'fallback'})`;
}
