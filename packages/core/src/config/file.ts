/**
 * Finding and reading the config file. A config file is a module, like a `gunicorn.conf.py`: it may
 * `export default defineConfig({...})`, use named exports (`export const workers = 4`, hooks as named
 * functions), or both. TypeScript, ESM and CommonJS files all load through jiti (TypeScript on Node 20 has no
 * native loader), with every cache bypassed so a HUP reads the file again.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

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
    return { values: parsed as FileValues, source: text };
  }
  let ns: Record<string, unknown>;
  try {
    // Imported on demand: jiti adds ~13 MB to a process, and an arbiter without a JS config file never needs it.
    const { createJiti } = await import('jiti');
    // evalModule transpiles and evaluates the text itself: `jiti.import` hands plain ESM to Node's loader,
    // whose cache would keep serving the first version of the file after a HUP.
    const jiti = createJiti(path, { moduleCache: false, fsCache: false, interopDefault: false });
    ns = (await jiti.evalModule(text, { filename: path, async: true, forceTranspile: true })) as Record<
      string,
      unknown
    >;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ConfigFileError(`failed to read config file ${path}: ${reason}`, { cause: err });
  }
  return { values: mergeExports(ns, path), source: text };
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
