/**
 * Finding and reading the config file. A config file is a module, like a `gunicorn.conf.py`: it may
 * `export default defineConfig({...})`, use named exports (`export const workers = 4`, hooks as named
 * functions), or both. A TypeScript file loads with Node's own type stripping where the line has it, else (and
 * for JavaScript) through jiti; either way every cache is bypassed so a HUP reads the file again
 * (`modules/typescript.ts` makes the choice).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeLoad, evaluateModuleText, isTypeScriptFile, type LoadedModule } from '../modules/typescript.js';

/** File names tried, in order, when no `-c` is given. */
export const CONFIG_FILE_NAMES = [
  'tgun.config.ts',
  'tgun.config.mts',
  'tgun.config.js',
  'tgun.config.mjs',
  'tgun.config.cjs',
  'tgun.config.json',
] as const;

/** The first default config file present in `dir`, or null. */
export function findConfigFile(dir: string): string | null {
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = resolve(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** Why a config file could not be read; the message names the file, `detail` holds the stack if any. */
export class ConfigFileError extends Error {
  override name = 'ConfigFileError';
  readonly detail: string | undefined;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    const cause = options?.cause;
    this.detail = cause instanceof Error ? cause.stack : undefined;
  }
}

/** The settings a config file exports, as written (validation comes later). */
export type FileValues = Record<string, unknown>;

/** A config file's settings and the exact text they were evaluated from. */
export interface ConfigFileRead {
  readonly values: FileValues;
  readonly source: string;
  /**
   * For a TypeScript file, which loader evaluated it, as a debug line (`Loaded tgun.config.ts with node's type
   * stripping`, or `with jiti (reason)`); null for JSON and JavaScript.
   */
  readonly loadedWith: string | null;
}

/**
 * Evaluates the config file at `path` and returns its settings; throws {@link ConfigFileError}. With `source`,
 * that text is evaluated as the file instead of reading the disk: workers evaluate the arbiter's snapshot, so a
 * file edited (or broken) after the arbiter loaded it cannot change what a respawned worker runs.
 */
export async function readConfigFile(path: string, source?: string): Promise<ConfigFileRead> {
  let text = source;
  if (text === undefined) {
    if (!existsSync(path)) throw new ConfigFileError(`config file ${path} does not exist`);
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new ConfigFileError(`failed to read config file ${path}: ${(err as Error).message}`, { cause: err });
    }
  }
  if (path.endsWith('.json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new ConfigFileError(`failed to read config file ${path}: ${(err as Error).message}`, { cause: err });
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ConfigFileError(`config file ${path} must contain a JSON object`);
    }
    return { values: parsed as FileValues, source: text, loadedWith: null };
  }
  let loaded: LoadedModule;
  try {
    loaded = await evaluateModuleText(path, text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ConfigFileError(`failed to read config file ${path}: ${reason}`, { cause: err });
  }
  const loadedWith = isTypeScriptFile(path) ? describeLoad(path, loaded) : null;
  return { values: mergeExports(loaded.ns, path), source: text, loadedWith };
}

/**
 * Combines a module's default export (an object of settings) with its named exports. A CommonJS file's
 * `module.exports` shows up as both; the same value twice is not a conflict.
 */
function mergeExports(ns: Record<string, unknown>, path: string): FileValues {
  const { default: def, ...named } = ns;
  const out: FileValues = {};
  if (def !== undefined) {
    if (def === null || typeof def !== 'object' || Array.isArray(def)) {
      throw new ConfigFileError(`config file ${path}: the default export must be an object of settings`);
    }
    Object.assign(out, def);
  }
  for (const [key, value] of Object.entries(named)) {
    if (key === '__esModule') continue;
    if (key in out && out[key] !== value) {
      throw new ConfigFileError(
        `config file ${path}: ${key} is set both in the default export and as a named export; keep one`,
      );
    }
    out[key] = value;
  }
  return out;
}
